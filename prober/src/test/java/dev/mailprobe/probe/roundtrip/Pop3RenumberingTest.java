package dev.mailprobe.probe.roundtrip;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailprobe.config.Account;
import dev.mailprobe.config.Endpoint;
import dev.mailprobe.config.MailprobeConfig;
import dev.mailprobe.config.Node;
import dev.mailprobe.config.ProbeSettings;
import dev.mailprobe.config.Protocol;
import dev.mailprobe.config.RoundTripSettings;
import dev.mailprobe.config.Secret;
import dev.mailprobe.config.TlsMode;
import dev.mailprobe.store.Store;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A POP3 server that renumbers during a session, as GreenMail does when another session QUITs: the
 * watcher must never DELE a message it did not claim. The scripted server removes the first message
 * right after the watcher's third {@code TOP}, so the number the watcher read its mail under now
 * names a foreign message.
 */
class Pop3RenumberingTest {
    static final Account PROBE = new Account("probe", "probe@example.net", Secret.of("pw", "test"));
    static final Secret KEY = Secret.of("renumbering-test-key", "test");

    @TempDir
    Path dir;

    @Test
    void aMessageRenumberedAfterItWasReadIsNotDeletedByItsOldNumber() throws Exception {
        String id = ProbeToken.newId();
        Instant sentAt = Instant.now().minusSeconds(1);
        String token = new ProbeToken(KEY).sign(new ProbeToken.Claims(id, "smtp-1", "pop-1", sentAt));
        String ours = "Message-ID: " + ProbeToken.messageId(id, "probe@example.net") + "\r\n"
                + ProbeToken.HEADER + ": " + token + "\r\n"
                + "Subject: probe\r\n\r\nbody\r\n";
        try (ScriptedPop3 server = new ScriptedPop3(List.of(
                new Msg("uid-x", "Message-ID: <x@elsewhere.example>\r\nSubject: someone else's\r\n\r\nx\r\n"),
                new Msg("uid-ours", ours),
                new Msg("uid-c", "Message-ID: <c@elsewhere.example>\r\nSubject: someone else's too\r\n\r\nc\r\n")));
             Store store = Store.open(dir.resolve("rt.db"))) {
            server.removeFirstAfterTops = 3; // as if another session QUIT after expunging uid-x
            new InFlightTable(store).insert(new InFlightTable.Row(id, "smtp-1", "pop-1", "smtp-1", "pop-1@pop-1",
                    sentAt, "250 2.0.0 Ok"));
            RoundTripFixtures.Results results = new RoundTripFixtures.Results();
            RoundTripEngine engine = new RoundTripEngine(config(server.port()), store, results);
            engine.start(); // resumes the mail in flight and looks for it at once
            try {
                List<RoundTripResult> got = results.await(1, Duration.ofSeconds(10));
                assertThat(got).extracting(RoundTripResult::id).containsExactly(id);
                assertThat(got).extracting(RoundTripResult::result).containsExactly(Outcome.DELIVERED);
                long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                while (server.uids().contains("uid-ours") && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                assertThat(server.uids()).containsExactly("uid-c"); // ours deleted by a later session
                assertThat(server.deleted()).containsExactly("uid-ours");
            } finally {
                engine.close();
            }
        }
    }

    static MailprobeConfig config(int pop3Port) {
        ProbeSettings s = new ProbeSettings(Duration.ofSeconds(30), Duration.ofSeconds(5), 1, true, null);
        Node smtp = new Node("smtp-1", "127.0.0.1", null,
                Map.of(Protocol.SMTP, new Endpoint(Protocol.SMTP, 1, TlsMode.NONE, null, s)));
        Node pop = new Node("pop-1", "127.0.0.1", null,
                Map.of(Protocol.POP3, new Endpoint(Protocol.POP3, pop3Port, TlsMode.NONE, PROBE, s)));
        RoundTripSettings rt = new RoundTripSettings(Duration.ofSeconds(60), "probe@example.net", "probe@example.net",
                PROBE, Duration.ofSeconds(30), Duration.ofMinutes(10), KEY, RoundTripSettings.Matrix.FULL);
        return new MailprobeConfig(null, null, MailprobeConfig.Http.DEFAULTS, new MailprobeConfig.Store(Path.of("x.db")),
                s, Map.of("probe", PROBE), List.of(smtp, pop), List.of(), rt, List.of(), List.of());
    }

    record Msg(String uid, String text) {}

    /**
     * One maildrop, numbered live like GreenMail: a number is the message's current position; DELE
     * marks it, QUIT removes what is marked. Sessions are served one at a time.
     */
    static final class ScriptedPop3 implements AutoCloseable {
        private final ServerSocket socket;
        private final List<Msg> box;
        private final List<String> marked = new ArrayList<>();
        private final List<String> deleted = new ArrayList<>();
        /** After this many TOPs in a session, the first message disappears (another session's expunge); once. */
        volatile int removeFirstAfterTops = -1;
        private final Thread thread;

        ScriptedPop3(List<Msg> messages) throws IOException {
            box = new ArrayList<>(messages);
            socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            thread = new Thread(this::serve, "scripted-pop3");
            thread.setDaemon(true);
            thread.start();
        }

        int port() {
            return socket.getLocalPort();
        }

        synchronized List<String> uids() {
            return box.stream().map(Msg::uid).toList();
        }

        /** The UIDs that DELE hit, in order. */
        synchronized List<String> deleted() {
            return List.copyOf(deleted);
        }

        private void serve() {
            while (!socket.isClosed()) {
                try (Socket s = socket.accept()) {
                    session(s);
                } catch (IOException e) {
                    // next session (or closed)
                }
            }
        }

        private void session(Socket s) throws IOException {
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.ISO_8859_1));
            OutputStream out = s.getOutputStream();
            send(out, "+OK scripted POP3 ready");
            int tops = 0;
            String line;
            while ((line = in.readLine()) != null) {
                String[] w = line.split(" ");
                String cmd = w[0].toUpperCase(java.util.Locale.ROOT);
                synchronized (this) {
                    switch (cmd) {
                        case "USER", "PASS", "NOOP" -> send(out, "+OK");
                        case "STAT" -> send(out, "+OK " + box.size() + " " + box.stream().mapToInt(m -> m.text().length()).sum());
                        case "UIDL" -> {
                            StringBuilder b = new StringBuilder("+OK\r\n");
                            for (int i = 0; i < box.size(); i++) {
                                b.append(i + 1).append(' ').append(box.get(i).uid()).append("\r\n");
                            }
                            send(out, b.append('.').toString());
                        }
                        case "TOP" -> {
                            Msg m = at(w[1]);
                            if (m == null) {
                                send(out, "-ERR no such message");
                            } else {
                                String headers = m.text().substring(0, m.text().indexOf("\r\n\r\n") + 2);
                                send(out, "+OK\r\n" + headers + "\r\n.");
                            }
                            if (++tops == removeFirstAfterTops) {
                                removeFirstAfterTops = -1;
                                box.remove(0);
                            }
                        }
                        case "DELE" -> {
                            Msg m = at(w[1]);
                            if (m == null) {
                                send(out, "-ERR no such message");
                            } else {
                                marked.add(m.uid());
                                deleted.add(m.uid());
                                send(out, "+OK");
                            }
                        }
                        case "QUIT" -> {
                            box.removeIf(m -> marked.contains(m.uid()));
                            marked.clear();
                            send(out, "+OK bye");
                            return;
                        }
                        default -> send(out, "-ERR unknown command");
                    }
                }
            }
        }

        private Msg at(String number) {
            int n = Integer.parseInt(number);
            return n >= 1 && n <= box.size() ? box.get(n - 1) : null;
        }

        private static void send(OutputStream out, String text) throws IOException {
            out.write((text + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
