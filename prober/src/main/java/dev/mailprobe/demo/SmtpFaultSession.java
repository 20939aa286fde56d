package dev.mailprobe.demo;

import io.vertx.core.buffer.Buffer;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An SMTP-aware proxy session for {@link FaultMode#REJECT} and {@link FaultMode#LOSE_MAIL}.
 *
 * <p>It de-pipelines: one client command is forwarded at a time and the next is read only after
 * the complete (possibly multi-line) backend reply, so replies the proxy makes up itself always
 * come in the right order.
 *
 * <ul>
 *   <li>reject: {@code RCPT TO} is answered {@code 451 4.3.0} by the proxy and never forwarded.
 *   <li>lose-mail: once the backend has accepted a recipient, {@code DATA} is answered {@code 354}
 *       by the proxy, the message is read and dropped, {@code 250} is answered, and the backend
 *       transaction is reset with {@code RSET} (its reply swallowed): the mail is never delivered.
 * </ul>
 */
final class SmtpFaultSession {
    private static final AtomicLong QUEUE_IDS = new AtomicLong(0x4D50000L);

    private enum State { AWAIT_REPLY, READY, DATA_FORWARD, DATA_SWALLOW, SWALLOW_REPLY, RAW }

    private final ProxyConnection c;
    private final FaultMode mode;
    private final LineReader fromClient = new LineReader();
    private final LineReader fromServer = new LineReader();
    private State state = State.AWAIT_REPLY; // the greeting comes first
    private String lastVerb = "";
    private boolean rcptAccepted;

    SmtpFaultSession(ProxyConnection c, FaultMode mode) {
        this.c = c;
        this.mode = mode;
    }

    void start() {
        c.client.handler(b -> {
            fromClient.append(b);
            pumpClient();
        });
        c.backend.handler(b -> {
            fromServer.append(b);
            pumpServer();
        });
    }

    private void pumpServer() {
        if (state == State.RAW) {
            c.toClient(fromServer.drain());
            return;
        }
        Buffer line;
        while ((line = fromServer.nextLine()) != null) {
            String text = LineReader.text(line);
            boolean last = text.length() < 4 || text.charAt(3) != '-';
            if (state == State.SWALLOW_REPLY) {
                if (last) {
                    state = State.READY;
                }
                continue;
            }
            c.toClient(line);
            if (last && state == State.AWAIT_REPLY) {
                onReply(code(text));
            }
            if (state == State.RAW) {
                c.toClient(fromServer.drain());
                break;
            }
        }
        if (fromServer.overlong()) {
            c.close();
            return;
        }
        pumpClient();
    }

    private void onReply(int code) {
        if (lastVerb.equals("RCPT") && code / 100 == 2) {
            rcptAccepted = true;
        }
        if (lastVerb.equals(".")) {
            rcptAccepted = false;
        }
        if (lastVerb.equals("DATA") && code == 354) {
            state = State.DATA_FORWARD;
        } else if (lastVerb.equals("STARTTLS") && code == 220) {
            state = State.RAW; // TLS bytes from here on: no more parsing
            c.toBackend(fromClient.drain());
            c.client.handler(c.backend::write);
        } else {
            state = State.READY;
        }
    }

    private void pumpClient() {
        while (!c.closed()) {
            switch (state) {
                case RAW -> {
                    c.toBackend(fromClient.drain());
                    return;
                }
                case AWAIT_REPLY, SWALLOW_REPLY -> {
                    checkOverlong();
                    return;
                }
                case READY -> {
                    Buffer line = fromClient.nextLine();
                    if (line == null) {
                        checkOverlong();
                        return;
                    }
                    command(line);
                }
                case DATA_FORWARD -> {
                    Buffer line = fromClient.nextLine();
                    if (line == null) {
                        checkOverlong();
                        return;
                    }
                    c.toBackend(line);
                    if (LineReader.text(line).equals(".")) {
                        lastVerb = ".";
                        state = State.AWAIT_REPLY;
                    }
                }
                case DATA_SWALLOW -> {
                    Buffer line = fromClient.nextLine();
                    if (line == null) {
                        checkOverlong();
                        return;
                    }
                    if (LineReader.text(line).equals(".")) {
                        c.toClient("250 2.0.0 Ok: queued as "
                                + Long.toHexString(QUEUE_IDS.incrementAndGet()).toUpperCase(Locale.ROOT) + "\r\n");
                        rcptAccepted = false;
                        lastVerb = "RSET";
                        c.toBackend("RSET\r\n");
                        state = State.SWALLOW_REPLY;
                    }
                }
            }
        }
    }

    private void command(Buffer line) {
        String text = LineReader.text(line);
        String verb = verb(text);
        if (mode == FaultMode.REJECT && verb.equals("RCPT")) {
            c.toClient("451 4.3.0 Temporary failure, please try again later (mailprobe demo fault: reject)\r\n");
            return;
        }
        if (mode == FaultMode.LOSE_MAIL && verb.equals("DATA") && rcptAccepted) {
            c.toClient("354 End data with <CR><LF>.<CR><LF>\r\n");
            state = State.DATA_SWALLOW;
            return;
        }
        if (verb.equals("MAIL") || verb.equals("RSET") || verb.equals("HELO") || verb.equals("EHLO")) {
            rcptAccepted = false;
        }
        lastVerb = verb;
        state = State.AWAIT_REPLY;
        c.toBackend(line);
    }

    private void checkOverlong() {
        if (fromClient.overlong() && state != State.RAW) {
            c.close();
        }
    }

    static String verb(String text) {
        int sp = text.indexOf(' ');
        String v = sp < 0 ? text : text.substring(0, sp);
        return v.toUpperCase(Locale.ROOT);
    }

    private static int code(String text) {
        if (text.length() < 3) {
            return -1;
        }
        try {
            return Integer.parseInt(text.substring(0, 3));
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
