package dev.mailprobe.health;

import dev.mailprobe.config.HealthSettings;
import dev.mailprobe.config.Protocol;
import dev.mailprobe.store.Store;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;

/**
 * Run in a child JVM by {@link KillNineTest}: makes smtp-1 DOWN (two refused probes at the given
 * epoch seconds), prints {@code DOWN <id>} and waits to be killed with SIGKILL. Never closes the
 * store.
 */
public final class KillNineChild {
    private KillNineChild() {}

    public static void main(String[] args) throws Exception {
        Path db = Path.of(args[0]);
        Instant first = Instant.ofEpochSecond(Long.parseLong(args[1]));
        Instant second = Instant.ofEpochSecond(Long.parseLong(args[2]));
        Store store = Store.open(db);
        HealthEngine engine = new HealthEngine(HealthSettings.DEFAULTS, HealthFixtures.checks(),
                new HealthEvents(store), Clock.systemUTC());
        engine.observe(HealthFixtures.refused("smtp-1", Protocol.SMTP, first));
        engine.observe(HealthFixtures.refused("smtp-1", Protocol.SMTP, second));
        System.out.println("DOWN " + engine.openEvent("smtp-1").orElseThrow().id());
        System.out.flush();
        Thread.sleep(60_000);
    }
}
