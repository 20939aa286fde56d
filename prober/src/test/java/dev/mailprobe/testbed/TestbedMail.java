package dev.mailprobe.testbed;

import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.search.SubjectTerm;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;

/** Jakarta Mail and raw-socket helpers for tests against the real testbed. */
final class TestbedMail {

    /** Clients connect from here, never from a node's own address (Dovecot would call that secure). */
    static final String CLIENT_ADDRESS = "127.0.0.1";

    private final Testbed tb;

    TestbedMail(Testbed tb) {
        this.tb = tb;
    }

    static String token() {
        return "mailprobe-testbed-" + UUID.randomUUID();
    }

    /** Session for submission (STARTTLS required, AUTH) or smtp (STARTTLS if offered, no AUTH). */
    Session smtpSession(String node, String listener, boolean auth, String localAddress) {
        Properties p = new Properties();
        p.put("mail.smtp.host", tb.host(node));
        p.put("mail.smtp.port", String.valueOf(tb.port(node, listener)));
        p.put("mail.smtp.localhost", "client.testbed.invalid");
        p.put("mail.smtp.localaddress", localAddress);
        p.put("mail.smtp.starttls.enable", "true");
        p.put("mail.smtp.starttls.required", String.valueOf(auth));
        p.put("mail.smtp.auth", String.valueOf(auth));
        p.put("mail.smtp.ssl.socketFactory", tb.sslContext().getSocketFactory());
        p.put("mail.smtp.ssl.checkserveridentity", "true");
        timeouts(p, "smtp");
        return Session.getInstance(p);
    }

    /** IMAP over STARTTLS (listener imap) or implicit TLS (imaps). */
    Store imapStore(String node, String listener, String localAddress) throws MessagingException {
        String proto = listener.equals("imaps") ? "imaps" : "imap";
        Properties p = new Properties();
        p.put("mail." + proto + ".localaddress", localAddress);
        if (proto.equals("imap")) {
            p.put("mail.imap.starttls.enable", "true");
            p.put("mail.imap.starttls.required", "true");
        }
        p.put("mail." + proto + ".ssl.socketFactory", tb.sslContext().getSocketFactory());
        p.put("mail." + proto + ".ssl.checkserveridentity", "true");
        timeouts(p, proto);
        return Session.getInstance(p).getStore(proto);
    }

    /** POP3 over STLS (listener pop3) or implicit TLS (pop3s). */
    Store pop3Store(String node, String listener, String localAddress) throws MessagingException {
        String proto = listener.equals("pop3s") ? "pop3s" : "pop3";
        Properties p = new Properties();
        p.put("mail." + proto + ".localaddress", localAddress);
        if (proto.equals("pop3")) {
            p.put("mail.pop3.starttls.enable", "true");
            p.put("mail.pop3.starttls.required", "true");
        }
        p.put("mail." + proto + ".ssl.socketFactory", tb.sslContext().getSocketFactory());
        p.put("mail." + proto + ".ssl.checkserveridentity", "true");
        timeouts(p, proto);
        return Session.getInstance(p).getStore(proto);
    }

    private static void timeouts(Properties p, String proto) {
        p.put("mail." + proto + ".connectiontimeout", "5000");
        p.put("mail." + proto + ".timeout", "10000");
        p.put("mail." + proto + ".writetimeout", "10000");
    }

    /** Submits a mail from probe to probe through node's submission port; returns the last SMTP code. */
    int submit(String node, String subject) throws MessagingException {
        Testbed.Account probe = tb.probe();
        Session s = smtpSession(node, "submission", true, CLIENT_ADDRESS);
        MimeMessage m = message(s, subject);
        try (Transport t = s.getTransport("smtp")) {
            t.connect(probe.username(), probe.password());
            t.sendMessage(m, m.getAllRecipients());
            return ((org.eclipse.angus.mail.smtp.SMTPTransport) t).getLastReturnCode();
        }
    }

    /** Sends a mail to probe through node's plain SMTP port (STARTTLS, no AUTH); returns the last SMTP code. */
    int relay(String node, String subject) throws MessagingException {
        Session s = smtpSession(node, "smtp", false, CLIENT_ADDRESS);
        MimeMessage m = message(s, subject);
        try (Transport t = s.getTransport("smtp")) {
            t.connect();
            t.sendMessage(m, m.getAllRecipients());
            return ((org.eclipse.angus.mail.smtp.SMTPTransport) t).getLastReturnCode();
        }
    }

    private MimeMessage message(Session s, String subject) throws MessagingException {
        MimeMessage m = new MimeMessage(s);
        m.setFrom(new InternetAddress(tb.probe().username()));
        m.setRecipient(Message.RecipientType.TO, new InternetAddress(tb.probe().username()));
        m.setSubject(subject);
        m.setText("mailprobe testbed test mail " + subject + "\r\n");
        return m;
    }

    /**
     * Polls the probe mailbox over IMAP until a mail with this subject shows up or the time is over.
     * Returns its Received headers (empty list when not found). When found and {@code delete}, removes it.
     */
    List<String> awaitImap(String node, String listener, String subject, Duration within, boolean delete)
            throws MessagingException {
        long deadline = System.nanoTime() + within.toNanos();
        Store store = imapStore(node, listener, CLIENT_ADDRESS);
        store.connect(tb.host(node), tb.port(node, listener), tb.probe().username(), tb.probe().password());
        try {
            Folder inbox = store.getFolder("INBOX");
            inbox.open(Folder.READ_WRITE);
            try {
                while (true) {
                    Message[] found = inbox.search(new SubjectTerm(subject));
                    if (found.length > 0) {
                        String[] rec = found[0].getHeader("Received");
                        List<String> out = rec == null ? List.of() : List.of(rec);
                        if (delete) {
                            for (Message m : found) {
                                m.setFlag(jakarta.mail.Flags.Flag.DELETED, true);
                            }
                            inbox.expunge();
                        }
                        return out.isEmpty() ? List.of("(no Received header)") : out;
                    }
                    if (System.nanoTime() > deadline) {
                        return List.of();
                    }
                    sleep(50);
                    inbox.getMessageCount(); // NOOP: lets the server report new mail
                }
            } finally {
                inbox.close(false);
            }
        } finally {
            store.close();
        }
    }

    /** Reads the probe mailbox over POP3 until the subject shows up; returns its Received headers and deletes it. */
    List<String> awaitPop3(String node, String listener, String subject, Duration within) throws MessagingException {
        long deadline = System.nanoTime() + within.toNanos();
        while (true) {
            Store store = pop3Store(node, listener, CLIENT_ADDRESS);
            store.connect(tb.host(node), tb.port(node, listener), tb.probe().username(), tb.probe().password());
            try {
                Folder inbox = store.getFolder("INBOX");
                inbox.open(Folder.READ_WRITE);
                try {
                    for (Message m : inbox.getMessages()) {
                        if (subject.equals(m.getSubject())) {
                            String[] rec = m.getHeader("Received");
                            m.setFlag(jakarta.mail.Flags.Flag.DELETED, true);
                            return rec == null ? List.of("(no Received header)") : List.of(rec);
                        }
                    }
                } finally {
                    inbox.close(true);
                }
            } finally {
                store.close();
            }
            if (System.nanoTime() > deadline) {
                return List.of();
            }
            sleep(100);
        }
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A raw line-oriented connection, for checks "on the wire". */
    static final class Wire implements AutoCloseable {
        final Socket socket;
        private final BufferedReader in;
        private final OutputStream out;

        Wire(String host, int port, Duration readTimeout) throws IOException {
            socket = new Socket();
            socket.bind(new InetSocketAddress(InetAddress.getByName(CLIENT_ADDRESS), 0));
            socket.connect(new InetSocketAddress(host, port), 3000);
            socket.setSoTimeout((int) readTimeout.toMillis());
            in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1));
            out = socket.getOutputStream();
        }

        String line() throws IOException {
            String l = in.readLine();
            if (l == null) {
                throw new IOException("connection closed by server");
            }
            return l;
        }

        /** Reads one SMTP reply (all continuation lines) and returns them joined by newlines. */
        String smtpReply() throws IOException {
            List<String> lines = new ArrayList<>();
            String l;
            do {
                l = line();
                lines.add(l);
            } while (l.length() > 3 && l.charAt(3) == '-');
            return String.join("\n", lines);
        }

        void send(String command) throws IOException {
            out.write((command + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
