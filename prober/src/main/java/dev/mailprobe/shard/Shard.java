package dev.mailprobe.shard;

import dev.mailprobe.config.ShardSettings;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * This process's shard: shard {@code index} of {@code count} owns the targets (nodes and entry
 * points, by name) whose {@link Rendezvous rendezvous hash} picks {@code index}. With
 * {@code count == 1} it owns everything.
 *
 * @param index 0 to {@code count - 1}
 * @param count how many shards share the targets
 */
public record Shard(int index, int count) {
    /** One shard owning every target. */
    public static final Shard ALL = new Shard(0, 1);
    /** The environment variable a process reads its shard from: the number, or a pod name ending in {@code -<number>}. */
    public static final String ENV = "MAILPROBE_SHARD";

    private static final Pattern NUMBER = Pattern.compile("[0-9]{1,9}");
    private static final Pattern ORDINAL_SUFFIX = Pattern.compile(".*-([0-9]{1,9})");

    public Shard {
        if (count < 1 || index < 0 || index >= count) {
            throw new IllegalArgumentException("shard " + index + " of " + count + " does not exist");
        }
    }

    /** Whether this shard probes the node or entry point {@code name}. */
    public boolean owns(String name) {
        return count == 1 || Rendezvous.owner(name, count) == index;
    }

    public boolean sharded() {
        return count > 1;
    }

    @Override
    public String toString() {
        return "shard " + index + " of " + count;
    }

    /** Why this process's shard cannot be known; the message says what to set. */
    public static final class ShardException extends Exception {
        public ShardException(String message) {
            super(message);
        }
    }

    /**
     * Resolves this process's shard: the count from the config; the index from {@code cliIndex}
     * ({@code run --shard}), else {@code shard.index}, else {@value #ENV} (a number such as
     * {@code 2}, or a StatefulSet pod name such as {@code mail-mailprobe-2}). Without sharding
     * ({@code count == 1}) the index must be absent or 0 and the environment is not read.
     *
     * @throws ShardException naming the source and the problem when the index is missing, not a
     *                        number or out of range
     */
    public static Shard resolve(ShardSettings settings, Integer cliIndex, Function<String, String> env) throws ShardException {
        int count = settings.count();
        if (cliIndex != null) {
            return checked(cliIndex, count, "--shard " + cliIndex);
        }
        if (settings.index() != null) {
            return checked(settings.index(), count, "shard.index " + settings.index());
        }
        if (count == 1) {
            return ALL;
        }
        String value = env.apply(ENV);
        if (value == null || value.isBlank()) {
            throw new ShardException("shard.count is " + count + " but this process's shard is not set: pass --shard K, set "
                    + "shard.index, or set " + ENV + " to the shard number or the StatefulSet pod name (K in 0.." + (count - 1) + ")");
        }
        Integer index = parseIndex(value.strip());
        if (index == null) {
            throw new ShardException(ENV + "=\"" + value + "\" is neither a shard number nor a pod name ending in -<ordinal>");
        }
        return checked(index, count, ENV + "=\"" + value + "\" (shard " + index + ")");
    }

    /** {@code 2} from {@code "2"} or {@code "mail-mailprobe-2"}; null when neither. */
    static Integer parseIndex(String value) {
        if (NUMBER.matcher(value).matches()) {
            return Integer.parseInt(value);
        }
        Matcher m = ORDINAL_SUFFIX.matcher(value);
        return m.matches() ? Integer.parseInt(m.group(1)) : null;
    }

    private static Shard checked(int index, int count, String source) throws ShardException {
        if (index < 0 || index >= count) {
            throw new ShardException(source + " is not a shard of shard.count " + count + " (shards are 0.." + (count - 1)
                    + "); the number of replicas and shard.count must agree");
        }
        return new Shard(index, count);
    }
}
