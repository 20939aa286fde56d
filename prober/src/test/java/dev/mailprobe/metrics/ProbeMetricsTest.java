package dev.mailprobe.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailprobe.config.ConfigFixtures;
import dev.mailprobe.config.MailprobeConfig;
import dev.mailprobe.config.Protocol;
import dev.mailprobe.probe.FailureReason;
import dev.mailprobe.probe.Phase;
import dev.mailprobe.probe.ProbeResult;
import dev.mailprobe.probe.TlsInfo;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProbeMetricsTest {
    @TempDir
    Path dir;

    private MetricsRegistry registry;

    @AfterEach
    void close() {
        if (registry != null) {
            registry.close();
        }
    }

    private ProbeMetrics metrics() {
        MailprobeConfig config = ConfigFixtures.small(dir.resolve("store.db"));
        registry = new MetricsRegistry(config.cluster(), config.vantage(), "1.2.3");
        return new ProbeMetrics(registry.registry(), config);
    }

    @Test
    void everyFailureSeriesExistsAtZeroBeforeTheFirstProbe() {
        metrics();
        String text = registry.scrape();
        for (FailureReason reason : FailureReason.values()) {
            assertThat(Exposition.parse(text).value("mailprobe_probes_total{cluster=\"test-cluster\",node=\"imap-1\",protocol=\"pop3\",result=\""
                    + reason.label() + "\",vantage=\"test-vantage\"}")).hasValue(0.0);
        }
        assertThat(Exposition.parse(text).value("mailprobe_probes_total{cluster=\"test-cluster\",node=\"mx\",protocol=\"smtp\",result=\"success\",vantage=\"test-vantage\"}")).hasValue(0.0);
        for (Phase phase : Phase.values()) {
            assertThat(Exposition.parse(text).value("mailprobe_probe_duration_seconds_count{cluster=\"test-cluster\",node=\"smtp-1\",phase=\""
                    + phase.label() + "\",protocol=\"submission\",vantage=\"test-vantage\"}")).hasValue(0.0);
        }
        assertThat(Exposition.parse(text).value("mailprobe_build_info{cluster=\"test-cluster\",vantage=\"test-vantage\",version=\"1.2.3\"}")).hasValue(1.0);
    }

    @Test
    void aResultSetsSuccessCountsItsReasonAndRecordsPhaseTimings() {
        ProbeMetrics metrics = metrics();
        metrics.record(result("smtp-1", Protocol.SMTP, true, null, Map.of(Phase.CONNECT, Duration.ofMillis(3),
                Phase.TOTAL, Duration.ofMillis(40)), new TlsInfo("TLSv1.3", "TLS_AES_128_GCM_SHA256",
                Instant.ofEpochSecond(1_900_000_000L), true)));
        metrics.record(result("smtp-1", Protocol.SMTP, false, FailureReason.TIMEOUT, Map.of(Phase.TOTAL, Duration.ofSeconds(2)), null));

        String text = registry.scrape();
        assertThat(Exposition.parse(text).value("mailprobe_probe_success{cluster=\"test-cluster\",node=\"smtp-1\",protocol=\"smtp\",vantage=\"test-vantage\"}")).hasValue(0.0);
        assertThat(Exposition.parse(text).value("mailprobe_probes_total{cluster=\"test-cluster\",node=\"smtp-1\",protocol=\"smtp\",result=\"success\",vantage=\"test-vantage\"}")).hasValue(1.0);
        assertThat(Exposition.parse(text).value("mailprobe_probes_total{cluster=\"test-cluster\",node=\"smtp-1\",protocol=\"smtp\",result=\"timeout\",vantage=\"test-vantage\"}")).hasValue(1.0);
        assertThat(Exposition.parse(text).value("mailprobe_probe_duration_seconds_count{cluster=\"test-cluster\",node=\"smtp-1\",phase=\"total\",protocol=\"smtp\",vantage=\"test-vantage\"}")).hasValue(2.0);
        assertThat(Exposition.parse(text).value("mailprobe_probe_duration_seconds_bucket{cluster=\"test-cluster\",node=\"smtp-1\",phase=\"connect\",protocol=\"smtp\",vantage=\"test-vantage\",le=\"0.005\"}")).hasValue(1.0);
        assertThat(Exposition.parse(text).value("mailprobe_tls_certificate_expiry_timestamp_seconds{cluster=\"test-cluster\",node=\"smtp-1\",protocol=\"smtp\",vantage=\"test-vantage\"}")).hasValue(1.9E9);
    }

    @Test
    void aResultForAnUnconfiguredTargetCreatesNoSeries() {
        metrics().record(result("stranger", Protocol.IMAP, true, null, Map.of(Phase.TOTAL, Duration.ofMillis(1)), null));
        assertThat(registry.scrape()).doesNotContain("stranger");
    }

    @Test
    void theExpositionPassesPromtoolLint() throws Exception {
        metrics().record(result("imap-1", Protocol.IMAP, true, null, Map.of(Phase.TOTAL, Duration.ofMillis(12)), null));
        Promtool.Outcome outcome = Promtool.checkMetrics(registry.scrape());
        assertThat(outcome.output()).isEmpty();
        assertThat(outcome.exitCode()).isZero();
    }

    static ProbeResult result(String target, Protocol protocol, boolean success, FailureReason reason,
                              Map<Phase, Duration> phases, TlsInfo tls) {
        return new ProbeResult(target, false, protocol, target, Instant.now(), success, reason,
                success ? null : Phase.GREETING, phases, success ? 220 : 0, "", tls, List.of(), success ? null : "timed out");
    }
}
