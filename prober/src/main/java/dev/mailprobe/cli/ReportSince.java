package dev.mailprobe.cli;

import dev.mailprobe.config.Durations;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/** The {@code --since} argument of {@code report}: a duration back from now, or an RFC 3339 time. */
public final class ReportSince {
    private ReportSince() {}

    public static Instant parse(String value, Instant now) {
        Optional<Duration> d = Durations.tryParse(value);
        if (d.isPresent()) {
            return now.minus(d.get());
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("'" + value + "' is neither a duration (7d, 12h) nor an RFC 3339 time");
        }
    }
}
