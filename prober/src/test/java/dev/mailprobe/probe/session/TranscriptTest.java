package dev.mailprobe.probe.session;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TranscriptTest {

    @Test
    void registeredSecretsAndTheirEncodingsAreScrubbedFromEveryLine() {
        Transcript t = new Transcript();
        Sasl.protect(t, "u@example.net", "hunter2!");
        t.server("535 your password hunter2! is wrong");
        t.client("AUTH PLAIN " + Sasl.plain("u@example.net", "hunter2!"));
        t.client(Sasl.base64("hunter2!"));
        assertThat(String.join("\n", t.lines()))
                .doesNotContain("hunter2!")
                .doesNotContain(Sasl.base64("hunter2!"))
                .contains("<redacted>");
        assertThat(t.scrub("x hunter2! y")).isEqualTo("x <redacted> y");
    }

    @Test
    void boundedInLinesAndLineLength() {
        Transcript t = new Transcript();
        for (int i = 0; i < Transcript.MAX_LINES + 50; i++) {
            t.server("x".repeat(Transcript.MAX_LINE_CHARS + 100));
        }
        assertThat(t.lines()).hasSize(Transcript.MAX_LINES + 1);
        assertThat(t.lines().get(0).length()).isLessThan(Transcript.MAX_LINE_CHARS + 40);
        assertThat(t.lines().get(Transcript.MAX_LINES)).contains("50 more lines");
    }
}
