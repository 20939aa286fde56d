package dev.mailprobe.slo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailprobe.config.Protocol;
import dev.mailprobe.probe.FailureReason;
import dev.mailprobe.probe.Phase;
import dev.mailprobe.probe.ProbeResult;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SliClassifierTest {
    static final Instant AT = Instant.parse("2024-03-01T10:15:30Z");

    static ProbeResult result(String target, boolean entryPoint, Protocol protocol, String servedBy, boolean success) {
        return new ProbeResult(target, entryPoint, protocol, servedBy, AT, success,
                success ? null : FailureReason.TIMEOUT, success ? null : Phase.AUTH,
                Map.of(Phase.TOTAL, Duration.ofMillis(20)), success ? 0 : 0, "", null, List.of(), success ? null : "timed out");
    }

    @Test
    void imapAndPop3ThroughAnEntryPointAreAccessEvents() {
        assertThat(SliClassifier.classify(result("mailbox", true, Protocol.IMAP, "imap-2", true)))
                .containsExactly(new SliEvent("access", AT, true, "imap-2"));
        assertThat(SliClassifier.classify(result("mailbox", true, Protocol.POP3, "imap-1", false)))
                .containsExactly(new SliEvent("access", AT, false, "imap-1"));
    }

    @Test
    void submissionThroughAnEntryPointIsASubmissionEvent() {
        assertThat(SliClassifier.classify(result("mx", true, Protocol.SUBMISSION, "smtp-1", false)))
                .containsExactly(new SliEvent("submission", AT, false, "smtp-1"));
    }

    @Test
    void anUnknownServerIsAttributedToUnknown() {
        assertThat(SliClassifier.classify(result("mailbox", true, Protocol.IMAP, null, false)))
                .containsExactly(new SliEvent("access", AT, false, "unknown"));
        assertThat(SliClassifier.classify(result("mailbox", true, Protocol.IMAP, "unknown", true)).get(0).node()).isEqualTo("unknown");
    }

    @Test
    void nodeProbesAndSmtpProduceNoSliEvents() {
        assertThat(SliClassifier.classify(result("imap-1", false, Protocol.IMAP, "imap-1", false))).isEmpty();
        assertThat(SliClassifier.classify(result("smtp-1", false, Protocol.SUBMISSION, "smtp-1", false))).isEmpty();
        assertThat(SliClassifier.classify(result("mx", true, Protocol.SMTP, "smtp-1", false))).isEmpty();
    }

    @Test
    void deliveryEventsComeFromRoundTrips() {
        assertThat(SliEvent.delivery(AT, false, "imap-2")).isEqualTo(new SliEvent("delivery", AT, false, "imap-2"));
        assertThat(SliEvent.delivery(AT, true, null).node()).isEqualTo("unknown");
    }
}
