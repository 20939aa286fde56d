package dev.mailprobe.config;

import java.time.Duration;

/**
 * The end-to-end round trip ({@code roundTrip:}).
 *
 * @param account         the mailbox the mail is fetched from
 * @param deliveredWithin the delivery SLO latency threshold (an exact histogram bucket)
 * @param lostAfter       a mail not seen by then is lost
 * @param tokenKey        HMAC key that signs the probe-mail token
 * @param matrix          which send x fetch node paths are tried each interval
 */
public record RoundTripSettings(
        Duration interval,
        String from,
        String to,
        Account account,
        Duration deliveredWithin,
        Duration lostAfter,
        Secret tokenKey,
        Matrix matrix) {

    public enum Matrix {
        /** every send node x every fetch node, each interval */
        FULL("full"),
        /** each node at least once per interval */
        COVER("cover");

        private final String label;

        Matrix(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }
}
