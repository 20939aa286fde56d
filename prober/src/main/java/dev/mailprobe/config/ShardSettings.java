package dev.mailprobe.config;

/**
 * {@code shard:}: the targets are split over {@code count} prober processes (the replicas of a
 * StatefulSet), each probing its own share; see {@code dev.mailprobe.shard.Shard} for the
 * assignment and for where a process learns its {@code index} when the config does not say.
 *
 * @param count how many shards, 1 to {@link #MAX_COUNT}; 1 means no sharding
 * @param index this process's shard, 0 to count - 1, or null when it comes from the command line,
 *              {@code MAILPROBE_SHARD} or the pod name at run time
 */
public record ShardSettings(int count, Integer index) {
    public static final int MAX_COUNT = 1000;
    /** One shard: this process probes every target. */
    public static final ShardSettings NONE = new ShardSettings(1, null);

    public ShardSettings {
        if (count < 1 || count > MAX_COUNT) {
            throw new IllegalArgumentException("shard count must be 1.." + MAX_COUNT + ": " + count);
        }
        if (index != null && (index < 0 || index >= count)) {
            throw new IllegalArgumentException("shard index must be 0.." + (count - 1) + ": " + index);
        }
    }
}
