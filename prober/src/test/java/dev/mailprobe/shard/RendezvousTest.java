package dev.mailprobe.shard;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/**
 * The assignment properties DESIGN.md relies on ("replica k of N owns the targets whose
 * rendezvous hash picks k, so adding a replica moves only 1/N of them"): exactly one owner, only
 * the new shard gains when one is added, about 1/(N+1) of the targets move, the load is even.
 */
class RendezvousTest {
    /** Target names as operators write them: node and entry-point names of the config syntax. */
    @Provide
    Arbitrary<String> names() {
        return Arbitraries.strings().withChars("abcdefghijklmnopqrstuvwxyz0123456789-_.").ofMinLength(1).ofMaxLength(30)
                .filter(s -> Character.isLetterOrDigit(s.charAt(0)));
    }

    @Property(tries = 200)
    void everyTargetHasExactlyOneShard(@ForAll @Size(min = 1, max = 200) Set<@From("names") String> targets,
                                       @ForAll @IntRange(min = 1, max = 32) int shards) {
        for (String t : targets) {
            int owners = 0;
            for (int k = 0; k < shards; k++) {
                if (new Shard(k, shards).owns(t)) {
                    owners++;
                }
            }
            assertThat(owners).as("shards owning %s of %d", t, shards).isEqualTo(1);
            assertThat(Rendezvous.owner(t, shards)).isBetween(0, shards - 1);
        }
    }

    @Property(tries = 200)
    void addingAShardMovesTargetsOnlyToTheNewShard(@ForAll @Size(min = 1, max = 200) Set<@From("names") String> targets,
                                                   @ForAll @IntRange(min = 1, max = 32) int shards) {
        for (String t : targets) {
            int before = Rendezvous.owner(t, shards);
            int after = Rendezvous.owner(t, shards + 1);
            assertThat(after).as("%s moved from shard %d", t, before).isIn(before, shards);
        }
    }

    /**
     * Going from N to N + 1 shards moves each target with probability 1/(N + 1). For 20,000
     * targets the moved fraction is binomial with sigma = sqrt(p(1 - p)/n) (at most 0.0036); it
     * must be within 6 sigma of 1/(N + 1). Names are a realistic pattern and random strings.
     */
    @Test
    void aboutOneInNPlusOneTargetsMoveWhenAShardIsAdded() {
        for (List<String> targets : List.of(sequentialNames(20_000), randomNames(20_000, new Random(13)))) {
            for (int n = 1; n <= 12; n++) {
                int moved = 0;
                for (String t : targets) {
                    if (Rendezvous.owner(t, n) != Rendezvous.owner(t, n + 1)) {
                        moved++;
                    }
                }
                double p = 1.0 / (n + 1);
                double sigma = Math.sqrt(p * (1 - p) / targets.size());
                double fraction = (double) moved / targets.size();
                System.out.printf(java.util.Locale.ROOT, "%d -> %d shards: %.4f of %d targets moved (1/(N+1) = %.4f)%n",
                        n, n + 1, fraction, targets.size(), p);
                assertThat(fraction).as("fraction moved from %d to %d shards", n, n + 1).isBetween(p - 6 * sigma, p + 6 * sigma);
            }
        }
    }

    /** Each of N shards owns about 1/N of the targets (within 6 sigma of the binomial). */
    @Test
    void theLoadIsSpreadEvenly() {
        List<String> targets = sequentialNames(20_000);
        for (int n : new int[] {2, 3, 5, 8, 16}) {
            int[] owned = new int[n];
            targets.forEach(t -> owned[Rendezvous.owner(t, n)]++);
            double p = 1.0 / n;
            double sigma = Math.sqrt(p * (1 - p) / targets.size());
            for (int k = 0; k < n; k++) {
                assertThat((double) owned[k] / targets.size()).as("share of shard %d of %d", k, n)
                        .isBetween(p - 6 * sigma, p + 6 * sigma);
            }
        }
    }

    /** The weight is a documented function (SHA-256 of "k/key"), so other tools can compute it. */
    @Test
    void theWeightIsTheFirstEightBytesOfSha256OfShardSlashKey() throws Exception {
        byte[] digest = java.security.MessageDigest.getInstance("SHA-256")
                .digest("2/smtp-1".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        long expected = java.nio.ByteBuffer.wrap(digest, 0, 8).getLong();
        assertThat(Rendezvous.weight("smtp-1", 2)).isEqualTo(expected);
        // pinned: a change of the hash would silently move every target on upgrade
        assertThat(List.of(Rendezvous.owner("smtp-1", 3), Rendezvous.owner("smtp-2", 3), Rendezvous.owner("imap-1", 3),
                Rendezvous.owner("imap-2", 3), Rendezvous.owner("mx", 3), Rendezvous.owner("mailbox", 3)))
                .isEqualTo(PINNED_DEMO_OWNERS);
    }

    /**
     * Owners of the demo's targets among 3 shards, computed outside Java from the documented hash:
     * {@code python3 -c "import hashlib; ...sha256(f'{k}/{key}'.encode()).digest()[:8]..."}.
     */
    static final List<Integer> PINNED_DEMO_OWNERS = List.of(0, 1, 1, 0, 1, 0);

    @Test
    void oneShardOwnsEverything() {
        assertThat(Shard.ALL.owns("anything")).isTrue();
        assertThat(Rendezvous.owner("anything", 1)).isZero();
    }

    static List<String> sequentialNames(int n) {
        List<String> names = new ArrayList<>();
        for (int i = 1; names.size() < n; i++) {
            names.add("smtp-" + i);
            names.add("imap-" + i);
        }
        return names.subList(0, n);
    }

    static List<String> randomNames(int n, Random random) {
        Set<String> names = new HashSet<>();
        while (names.size() < n) {
            StringBuilder s = new StringBuilder();
            int len = 3 + random.nextInt(20);
            for (int i = 0; i < len; i++) {
                s.append("abcdefghijklmnopqrstuvwxyz0123456789-".charAt(random.nextInt(i == 0 ? 36 : 37)));
            }
            names.add(s.toString());
        }
        return new ArrayList<>(names);
    }
}
