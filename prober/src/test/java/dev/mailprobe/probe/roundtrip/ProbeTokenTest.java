package dev.mailprobe.probe.roundtrip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailprobe.config.Secret;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ProbeTokenTest {
    final ProbeToken token = new ProbeToken(Secret.of("k3y-for-tests", "test"));
    final Instant at = Instant.parse("2026-11-25T10:00:00.123Z");

    @Test
    void aSignedTokenVerifiesWithItsMessageId() {
        String id = ProbeToken.newId();
        ProbeToken.Claims c = new ProbeToken.Claims(id, "smtp-1", "imap-2", at);
        String header = token.sign(c);
        String messageId = ProbeToken.messageId(id, "probe@example.net");
        assertThat(messageId).isEqualTo("<mailprobe." + id + "@example.net>");
        assertThat(token.verify(header, messageId)).contains(c);
        assertThat(header).startsWith("v1;" + id + ";smtp-1;imap-2;" + at.toEpochMilli() + ";");
    }

    @Test
    void labelsWithSeparatorsAndNonAsciiSurvive() {
        ProbeToken.Claims c = new ProbeToken.Claims("abc", "mx;eu west", "boîte", at);
        assertThat(token.verify(token.sign(c), ProbeToken.messageId("abc", "p@x.y"))).contains(c);
    }

    @Test
    void anotherKeyDoesNotVerify() {
        ProbeToken.Claims c = new ProbeToken.Claims("abc", "smtp-1", "imap-1", at);
        ProbeToken other = new ProbeToken(Secret.of("other-key", "test"));
        assertThat(other.verify(token.sign(c), ProbeToken.messageId("abc", "p@x.y"))).isEmpty();
    }

    @Test
    void anyTamperedFieldFailsVerification() {
        String header = token.sign(new ProbeToken.Claims("abc", "smtp-1", "imap-1", at));
        String mid = ProbeToken.messageId("abc", "p@x.y");
        assertThat(token.verify(header.replace("smtp-1", "smtp-2"), mid)).isEmpty();
        assertThat(token.verify(header.replace("imap-1", "imap-2"), mid)).isEmpty();
        assertThat(token.verify(header.replace(Long.toString(at.toEpochMilli()), Long.toString(at.toEpochMilli() - 1)), mid)).isEmpty();
        assertThat(token.verify(header.replace("v1;abc", "v1;abd"), ProbeToken.messageId("abd", "p@x.y"))).isEmpty();
        assertThat(token.verify(header.substring(0, header.length() - 2), mid)).isEmpty();
    }

    @Test
    void aValidTokenInAMailWithAnotherMessageIdIsNotOurs() {
        String header = token.sign(new ProbeToken.Claims("abc", "smtp-1", "imap-1", at));
        assertThat(token.verify(header, "<someone.else@example.net>")).isEmpty();
        assertThat(token.verify(header, null)).isEmpty();
    }

    @Test
    void garbageIsNotOurs() {
        String mid = ProbeToken.messageId("abc", "p@x.y");
        assertThat(token.verify(null, mid)).isEmpty();
        assertThat(token.verify("", mid)).isEmpty();
        assertThat(token.verify("v1;abc;a;b;notanumber;mac", mid)).isEmpty();
        assertThat(token.verify("v1;%zz;a;b;1;mac", mid)).isEmpty();
        assertThat(token.verify("v2;abc;a;b;1;mac", mid)).isEmpty();
    }

    @Test
    void idsAreUniqueAndMessageIdSafe() {
        java.util.Set<String> ids = new java.util.HashSet<>();
        for (int i = 0; i < 1000; i++) {
            String id = ProbeToken.newId();
            assertThat(id).matches("[0-9a-f]{24}");
            ids.add(id);
        }
        assertThat(ids).hasSize(1000);
    }

    @Test
    void anEmptyKeyIsRefusedWithoutPrintingIt() {
        assertThatThrownBy(() -> new ProbeToken(Secret.of("", "file /run/secrets/token-key")))
                .hasMessageContaining("file /run/secrets/token-key");
    }
}
