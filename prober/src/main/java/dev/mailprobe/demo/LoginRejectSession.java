package dev.mailprobe.demo;

import dev.mailprobe.config.Protocol;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayDeque;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * IMAP/POP3 session for {@link FaultMode#REJECT}: every login attempt is refused by the proxy
 * itself and the credentials never reach the backend; all other commands pass through.
 *
 * <ul>
 *   <li>IMAP: {@code LOGIN} and {@code AUTHENTICATE} get {@code tag NO [AUTHENTICATIONFAILED]}.
 *       A LOGIN with a synchronizing literal is refused before the literal is sent; a
 *       non-synchronizing literal ({@code {n+}}) is read and dropped; AUTHENTICATE without an
 *       initial response gets one {@code +} continuation whose answer is dropped.
 *   <li>POP3: {@code PASS} and {@code APOP} get {@code -ERR [AUTH]}; {@code AUTH mech} likewise
 *       (after one {@code +} continuation when no initial response is given). {@code USER} passes.
 * </ul>
 *
 * <p>Replies made up by the proxy are written only at a line boundary of the backend's stream;
 * a client that pipelines a login behind another command may see them before that command's
 * reply (real clients wait for the greeting and log in one command at a time).
 */
final class LoginRejectSession {
    private static final Pattern LITERAL = Pattern.compile("\\{(\\d{1,9})(\\+?)}$");

    private final ProxyConnection c;
    private final boolean imap;
    private final LineReader fromClient = new LineReader();
    private final ArrayDeque<String> pendingInjections = new ArrayDeque<>();
    private boolean serverAtLineStart = true;
    private boolean raw;

    // command-parsing state
    private boolean atCommandStart = true;
    private long literalRemaining;
    private boolean swallowing; // dropping the rest of a refused login command
    private String refusedTag;
    private boolean awaitingSaslResponse;

    LoginRejectSession(ProxyConnection c, Protocol protocol) {
        this.c = c;
        this.imap = protocol == Protocol.IMAP;
    }

    void start() {
        c.backend.handler(b -> {
            if (b.length() > 0) {
                serverAtLineStart = b.getByte(b.length() - 1) == '\n';
            }
            c.toClient(b);
            flushInjections();
        });
        c.client.handler(b -> {
            fromClient.append(b);
            pump();
        });
    }

    private void inject(String reply) {
        pendingInjections.add(reply);
        flushInjections();
    }

    private void flushInjections() {
        while (serverAtLineStart && !pendingInjections.isEmpty()) {
            c.toClient(pendingInjections.poll());
        }
    }

    private void pump() {
        while (!c.closed()) {
            if (raw) {
                c.toBackend(fromClient.drain());
                return;
            }
            if (literalRemaining > 0) {
                Buffer part = fromClient.take(literalRemaining);
                if (part.length() == 0) {
                    return;
                }
                literalRemaining -= part.length();
                if (!swallowing) {
                    c.toBackend(part);
                }
                continue;
            }
            Buffer line = fromClient.nextLine();
            if (line == null) {
                if (fromClient.overlong()) {
                    c.close();
                }
                return;
            }
            if (imap) {
                imapLine(line);
            } else {
                pop3Line(line);
            }
        }
    }

    private void imapLine(Buffer line) {
        String text = LineReader.text(line);
        Matcher lit = LITERAL.matcher(text);
        boolean hasLiteral = lit.find();
        if (!atCommandStart) {
            // continuation of a command after a literal
            if (swallowing) {
                if (hasLiteral && lit.group(2).isEmpty()) {
                    refuseImap(); // the client waits for "+" before sending this literal: refuse now
                } else if (hasLiteral) {
                    literalRemaining = Long.parseLong(lit.group(1));
                } else {
                    refuseImap();
                }
                return;
            }
            c.toBackend(line);
            if (hasLiteral) {
                literalRemaining = Long.parseLong(lit.group(1));
            } else {
                atCommandStart = true;
            }
            return;
        }
        if (awaitingSaslResponse) {
            awaitingSaslResponse = false; // the client's SASL response: dropped
            inject(refusedTag + " NO [AUTHENTICATIONFAILED] Authentication failed (mailprobe demo fault: reject)\r\n");
            return;
        }
        String[] words = text.split(" ", 4);
        String tag = words[0];
        String verb = words.length > 1 ? words[1].toUpperCase(Locale.ROOT) : "";
        if (verb.equals("LOGIN") || verb.equals("AUTHENTICATE")) {
            refusedTag = tag;
            if (hasLiteral && lit.group(2).equals("+")) {
                swallowing = true;
                atCommandStart = false;
                literalRemaining = Long.parseLong(lit.group(1));
            } else if (verb.equals("AUTHENTICATE") && words.length == 3 && !hasLiteral) {
                awaitingSaslResponse = true; // mechanism without initial response: ask for it
                inject("+ \r\n");
            } else {
                refuseImap();
            }
            return;
        }
        c.toBackend(line);
        if (hasLiteral) {
            atCommandStart = false;
            literalRemaining = Long.parseLong(lit.group(1));
        } else if (verb.equals("STARTTLS")) {
            raw = true; // TLS from here on: no more parsing
        }
    }

    private void refuseImap() {
        swallowing = false;
        atCommandStart = true;
        inject(refusedTag + " NO [AUTHENTICATIONFAILED] Authentication failed (mailprobe demo fault: reject)\r\n");
    }

    private void pop3Line(Buffer line) {
        String text = LineReader.text(line);
        if (awaitingSaslResponse) {
            awaitingSaslResponse = false;
            inject("-ERR [AUTH] Authentication failed (mailprobe demo fault: reject)\r\n");
            return;
        }
        String[] words = text.split(" ");
        String verb = words[0].toUpperCase(Locale.ROOT);
        switch (verb) {
            case "PASS", "APOP" -> inject("-ERR [AUTH] Authentication failed (mailprobe demo fault: reject)\r\n");
            case "AUTH" -> {
                if (words.length == 1) {
                    c.toBackend(line); // mechanism listing, no credentials
                } else if (words.length == 2) {
                    awaitingSaslResponse = true;
                    inject("+ \r\n");
                } else {
                    inject("-ERR [AUTH] Authentication failed (mailprobe demo fault: reject)\r\n");
                }
            }
            case "STLS" -> {
                c.toBackend(line);
                raw = true;
            }
            default -> c.toBackend(line);
        }
    }
}
