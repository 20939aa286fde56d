package dev.mailprobe.health;

import static dev.mailprobe.health.HealthFixtures.ok;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mailprobe.config.HealthSettings;
import dev.mailprobe.config.Protocol;
import dev.mailprobe.store.Store;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real kill -9 (SIGKILL of a child JVM) while a DOWN event is open: resumed, not lost, not doubled. */
class KillNineTest {
    @TempDir
    Path dir;

    @Test
    void anEventOpenAtKillNineIsResumedAndClosedOnce() throws Exception {
        Path db = dir.resolve("mailprobe.db");
        Instant first = Instant.now().minusSeconds(60).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        Instant second = first.plusSeconds(30);
        Process child = new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"),
                KillNineChild.class.getName(), db.toString(),
                Long.toString(first.getEpochSecond()), Long.toString(second.getEpochSecond()))
                .redirectErrorStream(true)
                .start();
        long id;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            StringBuilder seen = new StringBuilder();
            while ((line = out.readLine()) != null && !line.startsWith("DOWN ")) {
                seen.append(line).append('\n');
            }
            assertThat(line).as("child output:\n" + seen).isNotNull();
            id = Long.parseLong(line.substring("DOWN ".length()));
            child.destroyForcibly(); // SIGKILL: no close, no checkpoint, no shutdown hook
            assertThat(child.waitFor(10, TimeUnit.SECONDS)).isTrue();
        } finally {
            child.destroyForcibly();
        }
        assertThat(child.exitValue()).isEqualTo(137);

        try (Store store = Store.open(db)) {
            HealthEngine engine = new HealthEngine(HealthSettings.DEFAULTS, HealthFixtures.checks(),
                    new HealthEvents(store), java.time.Clock.systemUTC());
            assertThat(engine.state("smtp-1")).isEqualTo(HealthState.DOWN);
            assertThat(engine.openEvent("smtp-1")).hasValueSatisfying(e -> {
                assertThat(e.id()).isEqualTo(id);
                assertThat(e.start()).isEqualTo(first);
            });
            Instant back = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
            engine.observe(ok("smtp-1", Protocol.SMTP, back));
            engine.observe(ok("smtp-1", Protocol.SMTP, back.plusSeconds(30)));
            assertThat(engine.state("smtp-1")).isEqualTo(HealthState.UP);

            List<DownEvent> events = engine.events().events(Optional.empty(), null, Optional.empty());
            assertThat(events).hasSize(1);
            DownEvent e = events.get(0);
            assertThat(e.id()).isEqualTo(id);
            assertThat(e.start()).isEqualTo(first);
            assertThat(e.end()).isEqualTo(back);
            assertThat(e.duration()).contains(Duration.between(first, back));
            assertThat(e.endEstimated()).isTrue();
            assertThat(e.lastFailureAt()).isEqualTo(second);
            assertThat(e.evidence()).isEqualTo(Evidence.of(HealthFixtures.refused("smtp-1", Protocol.SMTP, first)));
        }
    }
}
