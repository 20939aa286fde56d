package dev.mailprobe.probe.roundtrip;

import dev.mailprobe.config.Secret;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The signature that marks a mail as mailprobe's own. Only mail whose token verifies is ever
 * treated as a probe mail (claimed, deleted, swept); anything else in the mailbox is foreign and
 * never touched.
 *
 * <p>Header {@value #HEADER}: {@code v1;ID;SEND;FETCH;MILLIS;MAC}, fields URL-encoded, where MAC is
 * base64url(HMAC-SHA256(key, "v1\nID\nSEND\nFETCH\nMILLIS")). The mail's Message-ID must also be
 * {@link #messageId(String, String) the one derived from ID}, so a token copied into another mail
 * does not make that mail ours.
 */
public final class ProbeToken {
    public static final String HEADER = "X-Mailprobe-Token";
    static final String VERSION = "v1";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretKeySpec key;

    public ProbeToken(Secret key) {
        Objects.requireNonNull(key, "key");
        byte[] bytes = key.reveal().getBytes(StandardCharsets.UTF_8);
        if (bytes.length == 0) {
            throw new IllegalArgumentException("the round-trip token key is empty (" + key.source() + ")");
        }
        this.key = new SecretKeySpec(bytes, "HmacSHA256");
    }

    /** What a verified token says. */
    public record Claims(String id, String sendNode, String fetchNode, Instant sentAt) {}

    /** A fresh random mail id: 24 hex digits (96 bits), safe in a Message-ID local part. */
    public static String newId() {
        byte[] b = new byte[12];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    /** The Message-ID of the mail with {@code id}, in the domain of the sender address. */
    public static String messageId(String id, String fromAddress) {
        int at = fromAddress == null ? -1 : fromAddress.lastIndexOf('@');
        String domain = at >= 0 && at < fromAddress.length() - 1 ? fromAddress.substring(at + 1) : "mailprobe.invalid";
        return "<mailprobe." + id + "@" + domain + ">";
    }

    /** The header value for a mail. */
    public String sign(Claims c) {
        String payload = payload(c.id(), c.sendNode(), c.fetchNode(), c.sentAt().toEpochMilli());
        return String.join(";", VERSION, enc(c.id()), enc(c.sendNode()), enc(c.fetchNode()),
                Long.toString(c.sentAt().toEpochMilli()), mac(payload));
    }

    /**
     * The claims of a header value whose MAC verifies with this key, and whose {@code messageId}
     * (the mail's Message-ID header, may be null) is the one derived from the token's id; else empty.
     */
    public Optional<Claims> verify(String header, String messageId) {
        if (header == null) {
            return Optional.empty();
        }
        String[] f = header.trim().split(";", -1);
        if (f.length != 6 || !f[0].equals(VERSION)) {
            return Optional.empty();
        }
        try {
            String id = dec(f[1]);
            String send = dec(f[2]);
            String fetch = dec(f[3]);
            long millis = Long.parseLong(f[4]);
            byte[] expected = mac(payload(id, send, fetch, millis)).getBytes(StandardCharsets.US_ASCII);
            if (!MessageDigest.isEqual(expected, f[5].getBytes(StandardCharsets.US_ASCII))) {
                return Optional.empty();
            }
            if (messageId == null || !messageId.trim().startsWith("<mailprobe." + id + "@")) {
                return Optional.empty();
            }
            return Optional.of(new Claims(id, send, fetch, Instant.ofEpochMilli(millis)));
        } catch (IllegalArgumentException e) {
            return Optional.empty(); // bad number or bad %-encoding: not ours
        }
    }

    private static String payload(String id, String send, String fetch, long millis) {
        return VERSION + "\n" + id + "\n" + send + "\n" + fetch + "\n" + millis;
    }

    private String mac(String payload) {
        try {
            Mac m = Mac.getInstance("HmacSHA256");
            m.init(key);
            return Base64.getUrlEncoder().withoutPadding().encodeToString(m.doFinal(payload.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static String dec(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }
}
