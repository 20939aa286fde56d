package dev.mailprobe.shard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailprobe.config.ShardSettings;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** Where a process learns its shard: --shard, then shard.index, then MAILPROBE_SHARD (number or pod name). */
class ShardTest {
    static final Function<String, String> NO_ENV = name -> null;

    static Function<String, String> env(String value) {
        return Map.of(Shard.ENV, value)::get;
    }

    @Test
    void withoutShardingEveryProcessOwnsEverythingAndTheEnvironmentIsNotRead() throws Exception {
        assertThat(Shard.resolve(ShardSettings.NONE, null, env("garbage"))).isEqualTo(Shard.ALL);
        assertThat(Shard.resolve(ShardSettings.NONE, null, NO_ENV)).isEqualTo(Shard.ALL);
    }

    @Test
    void theStatefulSetPodNameGivesTheShard() throws Exception {
        ShardSettings three = new ShardSettings(3, null);
        assertThat(Shard.resolve(three, null, env("mail-mailprobe-2"))).isEqualTo(new Shard(2, 3));
        assertThat(Shard.resolve(three, null, env("dc1-mailprobe-0"))).isEqualTo(new Shard(0, 3));
        assertThat(Shard.resolve(three, null, env("1"))).isEqualTo(new Shard(1, 3));
    }

    @Test
    void theCommandLineWinsOverTheConfigWhichWinsOverTheEnvironment() throws Exception {
        assertThat(Shard.resolve(new ShardSettings(3, 1), 2, env("x-0"))).isEqualTo(new Shard(2, 3));
        assertThat(Shard.resolve(new ShardSettings(3, 1), null, env("x-0"))).isEqualTo(new Shard(1, 3));
    }

    @Test
    void aMissingShardSaysWhatToSet() {
        assertThatThrownBy(() -> Shard.resolve(new ShardSettings(3, null), null, NO_ENV))
                .isInstanceOf(Shard.ShardException.class)
                .hasMessage("shard.count is 3 but this process's shard is not set: pass --shard K, set shard.index, "
                        + "or set MAILPROBE_SHARD to the shard number or the StatefulSet pod name (K in 0..2)");
    }

    @Test
    void aPodBeyondTheShardCountIsRefusedNotSilentlyIdle() {
        // kubectl scale to 4 while the config says 3: pod 3 must fail loudly
        assertThatThrownBy(() -> Shard.resolve(new ShardSettings(3, null), null, env("mail-mailprobe-3")))
                .isInstanceOf(Shard.ShardException.class)
                .hasMessage("MAILPROBE_SHARD=\"mail-mailprobe-3\" (shard 3) is not a shard of shard.count 3 (shards are 0..2); "
                        + "the number of replicas and shard.count must agree");
        assertThatThrownBy(() -> Shard.resolve(new ShardSettings(3, null), 5, NO_ENV))
                .hasMessageStartingWith("--shard 5 is not a shard of shard.count 3");
        assertThatThrownBy(() -> Shard.resolve(ShardSettings.NONE, 1, NO_ENV))
                .hasMessageStartingWith("--shard 1 is not a shard of shard.count 1");
    }

    @Test
    void anUnreadableValueIsNamed() {
        assertThatThrownBy(() -> Shard.resolve(new ShardSettings(2, null), null, env("mailprobe")))
                .hasMessage("MAILPROBE_SHARD=\"mailprobe\" is neither a shard number nor a pod name ending in -<ordinal>");
    }

    @Test
    void podNamesAndNumbersParse() {
        assertThat(Shard.parseIndex("7")).isEqualTo(7);
        assertThat(Shard.parseIndex("a-b-c-12")).isEqualTo(12);
        assertThat(Shard.parseIndex("mailprobe")).isNull();
        assertThat(Shard.parseIndex("-")).isNull();
        assertThat(Shard.parseIndex("x-")).isNull();
    }
}
