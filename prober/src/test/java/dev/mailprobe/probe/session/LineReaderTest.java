package dev.mailprobe.probe.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailprobe.probe.FailureReason;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

class LineReaderTest {

    @Test
    void linesSplitAnywhereAndManyPerPacket() {
        LineReader r = new LineReader();
        Future<String> first = r.line();
        r.feed(Buffer.buffer("250-a"));
        assertThat(first.isComplete()).isFalse();
        r.feed(Buffer.buffer("bc\r"));
        assertThat(first.isComplete()).isFalse();
        r.feed(Buffer.buffer("\n250 d\r\n220 e\n"));
        assertThat(first.result()).isEqualTo("250-abc");
        assertThat(r.line().result()).isEqualTo("250 d");
        assertThat(r.line().result()).isEqualTo("220 e"); // bare LF tolerated
        assertThat(r.hasBufferedData()).isFalse();
    }

    @Test
    void literalBytesThenRestOfLine() {
        LineReader r = new LineReader();
        r.feed(Buffer.buffer("* X {5}\r\nab\r\nc rest\r\n"));
        assertThat(r.line().result()).isEqualTo("* X {5}");
        assertThat(r.bytes(5).result().toString()).isEqualTo("ab\r\nc");
        assertThat(r.line().result()).isEqualTo(" rest");
    }

    @Test
    void bufferedDataIsDeliveredBeforeCloseThenClosedFails() {
        LineReader r = new LineReader();
        r.feed(Buffer.buffer("554 bye\r\n"));
        r.closed();
        assertThat(r.line().result()).isEqualTo("554 bye");
        Future<String> next = r.line();
        assertThat(next.failed()).isTrue();
        assertThat(((ProbeFailure) next.cause()).reason()).isEqualTo(FailureReason.PROTOCOL_ERROR);
    }

    @Test
    void endlessLineIsProtocolError() {
        LineReader r = new LineReader();
        Future<String> f = r.line();
        r.feed(Buffer.buffer(new byte[LineReader.MAX_LINE + 10]));
        assertThat(f.failed()).isTrue();
        assertThat(((ProbeFailure) f.cause()).reason()).isEqualTo(FailureReason.PROTOCOL_ERROR);
    }

    @Test
    void socketErrorFailsThePendingRead() {
        LineReader r = new LineReader();
        Future<String> f = r.line();
        r.failed(new java.io.IOException("Connection reset by peer"));
        assertThat(f.failed()).isTrue();
        assertThat(FailureClassifier.classify(f.cause(), dev.mailprobe.probe.Phase.AUTH).reason()).isEqualTo(FailureReason.IO_ERROR);
    }
}
