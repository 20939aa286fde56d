package dev.mailprobe.probe.roundtrip;

import dev.mailprobe.config.Account;
import dev.mailprobe.probe.ProbeTarget;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.time.Instant;
import java.util.Date;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.eclipse.angus.mail.smtp.SMTPSenderFailedException;
import org.eclipse.angus.mail.smtp.SMTPTransport;

/** Composes one probe mail and submits it through one SMTP target (blocking; worker threads only). */
final class MailSender {
    /** What one submission attempt gave. */
    record Outcome(boolean accepted, String servedBy, long acceptedNanos, Instant acceptedAt, int code, String reply) {}

    private final MailSessions sessions;
    private final LongSupplier nanoClock;
    private final Supplier<Instant> wallClock;

    MailSender(MailSessions sessions, LongSupplier nanoClock, Supplier<Instant> wallClock) {
        this.sessions = sessions;
        this.nanoClock = nanoClock;
        this.wallClock = wallClock;
    }

    /** The probe mail: our Message-ID, the signed token, a plain text body. */
    static MimeMessage compose(Session session, String from, String to, ProbeToken.Claims claims, String token)
            throws MessagingException {
        String messageId = ProbeToken.messageId(claims.id(), from);
        MimeMessage m = new MimeMessage(session) {
            @Override
            protected void updateMessageID() throws MessagingException {
                setHeader("Message-ID", messageId);
            }
        };
        m.setFrom(new InternetAddress(from));
        m.setRecipients(Message.RecipientType.TO, InternetAddress.parse(to));
        m.setSubject("mailprobe round trip " + claims.id() + " (" + claims.sendNode() + " -> " + claims.fetchNode() + ")");
        m.setSentDate(Date.from(claims.sentAt()));
        m.setHeader(ProbeToken.HEADER, token);
        m.setHeader("Auto-Submitted", "auto-generated");
        m.setText("Synthetic probe mail sent by mailprobe to measure delivery.\r\n"
                + "It is deleted automatically once seen; please ignore it.\r\n", "US-ASCII");
        m.saveChanges();
        return m;
    }

    /**
     * Submits the mail; {@code accepted} when the 250 after DATA arrived, timed right after
     * {@code Transport.sendMessage} returned. {@code servedBy} is {@code knownNode}, or for an entry
     * point reached by host the node its greeting or address names.
     */
    Outcome send(ProbeTarget target, String from, String to, ProbeToken.Claims claims, String token,
                 java.util.function.BiFunction<String, String, String> attribute) {
        MailSessions.GreetingCapture greeting = target.servedBy() == null ? new MailSessions.GreetingCapture() : null;
        Session session = greeting != null
                ? sessions.greetingSession("smtp", target, null, greeting)
                : sessions.session("smtp", target, null);
        String servedBy = target.servedBy() != null ? target.servedBy() : RoundTripEngine.UNKNOWN;
        SMTPTransport transport = null;
        try {
            MimeMessage message = compose(session, from, to, claims, token);
            transport = (SMTPTransport) session.getTransport("smtp");
            Account a = target.endpoint().account();
            if (a != null) {
                transport.connect(target.host(), target.endpoint().port(), a.username(), a.password().reveal());
            } else {
                transport.connect(target.host(), target.endpoint().port(), null, null);
            }
            if (greeting != null) {
                servedBy = attribute.apply(greeting.greeting(), target.host());
                session.setDebug(false);
            }
            transport.sendMessage(message, message.getAllRecipients());
            long nanos = nanoClock.getAsLong(); // the 250 after DATA has just been read
            Instant at = wallClock.get();
            return new Outcome(true, servedBy, nanos, at, transport.getLastReturnCode(),
                    oneLine(transport.getLastServerResponse()));
        } catch (MessagingException | RuntimeException e) {
            if (greeting != null && greeting.greeting() != null) {
                servedBy = attribute.apply(greeting.greeting(), target.host());
            }
            return failure(e, servedBy, transport);
        } finally {
            if (transport != null) {
                try {
                    transport.close();
                } catch (MessagingException | RuntimeException ignored) {
                    // the mail is sent or not; QUIT does not change that
                }
            }
        }
    }

    /** The SMTP reply that refused the mail (code + text) when there is one, else what failed. */
    private static Outcome failure(Exception e, String servedBy, SMTPTransport transport) {
        for (Throwable t = e; t != null; t = next(t)) {
            if (t instanceof SMTPAddressFailedException a) {
                return failed(servedBy, a.getReturnCode(), "RCPT TO refused: " + a.getMessage());
            }
            if (t instanceof SMTPSenderFailedException s) {
                return failed(servedBy, s.getReturnCode(), "MAIL FROM refused: " + s.getMessage());
            }
            if (t instanceof SMTPSendFailedException s) {
                return failed(servedBy, s.getReturnCode(), (s.getCommand() != null ? s.getCommand() + " refused: " : "") + s.getMessage());
            }
        }
        if (e instanceof AuthenticationFailedException) {
            int code = transport != null ? transport.getLastReturnCode() : 0;
            return failed(servedBy, code, "authentication failed: " + e.getMessage());
        }
        return failed(servedBy, 0, RoundTripEngine.describe(e));
    }

    private static Outcome failed(String servedBy, int code, String text) {
        String t = oneLine(text);
        if (code > 0 && !t.contains(Integer.toString(code))) {
            t = code + " " + t;
        }
        return new Outcome(false, servedBy, 0, null, code, t);
    }

    private static Throwable next(Throwable t) {
        if (t instanceof MessagingException m && m.getNextException() != null && m.getNextException() != t) {
            return m.getNextException();
        }
        return t.getCause() == t ? null : t.getCause();
    }

    static String oneLine(String s) {
        if (s == null) {
            return "";
        }
        String one = s.replaceAll("[\\r\\n]+", " ").strip();
        return one.length() > 500 ? one.substring(0, 500) + "..." : one;
    }
}
