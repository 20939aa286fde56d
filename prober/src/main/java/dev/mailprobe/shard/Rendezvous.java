package dev.mailprobe.shard;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Rendezvous (highest-random-weight) hashing: the owner of a key among {@code n} shards is the
 * shard {@code k} with the highest weight {@code w(k, key)} (Thaler and Ravishankar, "Using
 * name-based mappings to increase hit rates", IEEE/ACM ToN 6(1), 1998).
 *
 * <p>The weight is stable across processes, JVMs and languages: the first 8 bytes, read as an
 * unsigned big-endian integer, of SHA-256 over the UTF-8 bytes of {@code "<k>/<key>"}, with
 * {@code k} the decimal shard number (0, 1, ...). Node and entry-point names cannot contain a
 * {@code /}, so no two (k, key) pairs hash the same text. Equal weights (which SHA-256 makes
 * practically impossible) go to the lower shard number.
 *
 * <p>Properties that follow, and that the tests check: every key has exactly one owner; going from
 * {@code n} to {@code n + 1} shards moves a key only when the new shard {@code n} outweighs all
 * others, i.e. about {@code 1/(n + 1)} of the keys, and only to the new shard; each shard owns
 * about {@code 1/n} of the keys.
 */
public final class Rendezvous {
    private Rendezvous() {}

    /** The weight of {@code key} on shard {@code shard}, as an unsigned 64-bit value in a long. */
    public static long weight(String key, int shard) {
        MessageDigest sha256;
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
        byte[] digest = sha256.digest((shard + "/" + key).getBytes(StandardCharsets.UTF_8));
        long w = 0;
        for (int i = 0; i < 8; i++) {
            w = (w << 8) | (digest[i] & 0xff);
        }
        return w;
    }

    /** The shard, in {@code [0, shards)}, that owns {@code key}. */
    public static int owner(String key, int shards) {
        if (shards < 1) {
            throw new IllegalArgumentException("at least one shard is needed: " + shards);
        }
        int best = 0;
        long bestWeight = weight(key, 0);
        for (int k = 1; k < shards; k++) {
            long w = weight(key, k);
            if (Long.compareUnsigned(w, bestWeight) > 0) {
                best = k;
                bestWeight = w;
            }
        }
        return best;
    }
}
