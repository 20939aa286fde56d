package dev.mailprobe.probe.roundtrip;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailprobe.config.Node;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReceivedPathTest {
    static final List<Node> NODES = List.of(
            new Node("smtp-1", "10.0.0.11", "mx1.example.net", Map.of()),
            new Node("smtp-2", "10.0.0.12", "mx2.example.net", Map.of()),
            new Node("imap-1", "10.0.0.21", null, Map.of()),
            new Node("lmtp-a", "127.0.0.2", null, Map.of()),
            new Node("lmtp-b", "127.0.0.2", null, Map.of()));

    @Test
    void postfixHeadersGiveThePathFirstHopFirst() {
        String[] received = {
            // newest first, as in the mail
            "from mx1.example.net (mx1.example.net [10.0.0.11])\r\n\tby 10.0.0.21 (Postfix) with ESMTP id 4Xy\r\n\tfor <probe@example.net>; Wed, 25 Nov 2026 10:00:00 +0000 (UTC)",
            "from mailprobe.invalid (unknown [192.0.2.7])\r\n\tby mx1.example.net (Postfix) with ESMTPSA id 3AB\r\n\tfor <probe@example.net>; Wed, 25 Nov 2026 10:00:00 +0000 (UTC)",
        };
        assertThat(ReceivedPath.parse(received, NODES)).containsExactly("smtp-1", "imap-1");
    }

    @Test
    void byInsideACommentIsIgnored() {
        assertThat(ReceivedPath.byName("from a (authenticated by someone (nested by x)) by MX2.example.net with ESMTP; date"))
                .isEqualTo("MX2.example.net");
        assertThat(ReceivedPath.parse(new String[] {"from a (by mx1.example.net) by mx2.example.net; d"}, NODES))
                .containsExactly("smtp-2");
    }

    @Test
    void unknownNamesAreKeptAsWrittenAndAmbiguousHostsAreNotGuessed() {
        String[] received = {
            "by 127.0.0.2 (Postfix, from userid 0) id 1; date",
            "from x by relay.partner.example with SMTP id 9; date",
        };
        assertThat(ReceivedPath.parse(received, NODES)).containsExactly("relay.partner.example", "127.0.0.2");
    }

    @Test
    void repeatsAreCollapsedAndHeadersWithoutByAreSkipped() {
        String[] received = {
            "from localhost by mx1.example.net (Postfix) with ESMTP id 2; date",
            "from mx1 by mx1.example.net (amavis) id 1; date",
            "from 127.0.0.1 (HELO mailprobe.invalid); Wed, 25 Nov 2026 10:00:00 +0000",
        };
        assertThat(ReceivedPath.parse(received, NODES)).containsExactly("smtp-1");
        assertThat(ReceivedPath.parse(null, NODES)).isEmpty();
    }

    @Test
    void addressLiteralsAndNodeNamesMatch() {
        assertThat(ReceivedPath.parse(new String[] {"from a by [10.0.0.12]; d", "from b by imap-1 id 4; d"}, NODES))
                .containsExactly("imap-1", "smtp-2");
    }
}
