package dev.mailprobe.slo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailprobe.probe.roundtrip.Outcome;
import dev.mailprobe.probe.roundtrip.RoundTripResult;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Round trips become delivery SLI events only on the customer path, attributed to one node. */
class DeliverySliTest {
    static final Set<String> ENTRY_POINTS = Set.of("mx", "mailbox");
    static final Instant AT = Instant.parse("2026-03-01T10:00:00Z");

    static RoundTripResult result(String send, String fetch, Outcome outcome) {
        return new RoundTripResult("id-1", send, fetch, "smtp-2", "imap-1", AT,
                outcome == Outcome.DELIVERED ? Duration.ofMillis(40) : null, outcome, "", List.of());
    }

    @Test
    void aDeliveredCustomerMailIsAGoodEventOfTheNodeThatAcceptedIt() {
        assertThat(SliClassifier.classify(result("mx", "mailbox", Outcome.DELIVERED), ENTRY_POINTS))
                .containsExactly(new SliEvent("delivery", AT, true, "smtp-2"));
    }

    @Test
    void lateLostAndRefusedMailAreBadEventsOfTheSendingNode() {
        for (Outcome bad : List.of(Outcome.LATE, Outcome.LOST, Outcome.SEND_FAILED)) {
            assertThat(SliClassifier.classify(result("mx", "mailbox", bad), ENTRY_POINTS))
                    .containsExactly(new SliEvent("delivery", AT, false, "smtp-2"));
        }
    }

    @Test
    void aFetchFailureIsABadEventOfTheMailboxNode() {
        assertThat(SliClassifier.classify(result("mx", "mailbox", Outcome.FETCH_FAILED), ENTRY_POINTS))
                .containsExactly(new SliEvent("delivery", AT, false, "imap-1"));
    }

    @Test
    void roundTripsBetweenNodesExplainButAreNoSliEvents() {
        assertThat(SliClassifier.classify(result("smtp-1", "imap-1", Outcome.LOST), ENTRY_POINTS)).isEmpty();
        assertThat(SliClassifier.classify(result("mx", "imap-1", Outcome.LOST), ENTRY_POINTS)).isEmpty();
    }
}
