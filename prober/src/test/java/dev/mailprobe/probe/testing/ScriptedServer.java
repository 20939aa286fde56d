package dev.mailprobe.probe.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * A fake mail server that plays an exact dialogue on a plain {@link ServerSocket}, one thread per
 * connection: send lines (at once, or split across TCP packets with pauses), expect client lines,
 * delay, hang, close abruptly or with a reset, and switch to TLS (implicit or after STARTTLS).
 * Everything the client sent is recorded, and every broken expectation is kept in
 * {@link #violations()} so a test can assert the client said exactly what it should.
 */
public final class ScriptedServer implements AutoCloseable {

    /** One action of the server's side of the dialogue. */
    @FunctionalInterface
    public interface Action {
        void run(Conn c) throws IOException, InterruptedException;
    }

    /** The server's side of the dialogue, built fluently. */
    public static final class Script {
        final List<Action> actions = new ArrayList<>();

        public static Script of() {
            return new Script();
        }

        public Script then(Action a) {
            actions.add(a);
            return this;
        }

        /** Sends the lines, each with CRLF, in one write. */
        public Script send(String... lines) {
            return then(c -> c.write(String.join("\r\n", lines) + "\r\n", 0, 0));
        }

        /** Sends raw text (no CRLF added) in one write. */
        public Script sendRaw(String raw) {
            return then(c -> c.write(raw, 0, 0));
        }

        /** Sends the lines in chunks of {@code chunk} bytes, flushing and sleeping between them. */
        public Script sendSplit(int chunk, long pauseMillis, String... lines) {
            return then(c -> c.write(String.join("\r\n", lines) + "\r\n", chunk, pauseMillis));
        }

        /** Reads a client line that must start with {@code prefix} (case-insensitive). */
        public Script expect(String prefix) {
            return then(c -> c.expect(prefix));
        }

        /** Asserts the client stays silent for {@code millis} (e.g. before the greeting). */
        public Script expectSilence(long millis) {
            return then(c -> c.expectSilence(millis));
        }

        public Script sleep(long millis) {
            return then(c -> Thread.sleep(millis));
        }

        /** Reads (and ignores) until the client closes. */
        public Script hang() {
            return then(Conn::drain);
        }

        /** Closes the connection (FIN). */
        public Script close() {
            return then(c -> c.socket.close());
        }

        /** Resets the connection (RST). */
        public Script reset() {
            return then(c -> {
                c.socket.setSoLinger(true, 0);
                c.socket.close();
            });
        }

        /** Server-side TLS handshake on the current connection (after a STARTTLS reply). */
        public Script startTls() {
            return then(Conn::startTls);
        }
    }

    /** One accepted connection. */
    public final class Conn {
        Socket socket;
        InputStream in;
        OutputStream out;

        Conn(Socket s) throws IOException {
            this.socket = s;
            this.in = s.getInputStream();
            this.out = s.getOutputStream();
        }

        void write(String text, int chunk, long pause) throws IOException, InterruptedException {
            byte[] b = text.getBytes(StandardCharsets.UTF_8);
            if (chunk <= 0) {
                out.write(b);
                out.flush();
                return;
            }
            for (int i = 0; i < b.length; i += chunk) {
                out.write(b, i, Math.min(chunk, b.length - i));
                out.flush();
                Thread.sleep(pause);
            }
        }

        String readLine() throws IOException {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            int ch;
            while ((ch = in.read()) >= 0) {
                if (ch == '\n') {
                    String s = line.toString(StandardCharsets.UTF_8);
                    s = s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
                    received.add(s);
                    return s;
                }
                line.write(ch);
            }
            return null;
        }

        void expect(String prefix) throws IOException {
            String line = readLine();
            if (line == null) {
                throw new IOException("client closed, expected " + prefix);
            }
            if (!line.toUpperCase(Locale.ROOT).startsWith(prefix.toUpperCase(Locale.ROOT))) {
                violations.add("expected '" + prefix + "' but client sent '" + line + "'");
                throw new IOException("unexpected client line");
            }
        }

        void expectSilence(long millis) throws IOException {
            socket.setSoTimeout((int) millis);
            try {
                int ch = in.read();
                if (ch >= 0) {
                    violations.add("client sent data when it should have waited: '" + (char) ch + "...'");
                }
            } catch (SocketTimeoutException expected) {
                // silent, as it should be
            } finally {
                socket.setSoTimeout(0);
            }
        }

        void drain() throws IOException {
            byte[] b = new byte[1024];
            while (in.read(b) >= 0) {
                // discard
            }
        }

        void startTls() throws IOException {
            SSLSocket tls = (SSLSocket) tlsContext.getSocketFactory().createSocket(socket, null, socket.getPort(), true);
            tls.setUseClientMode(false);
            tls.startHandshake();
            socket = tls;
            in = tls.getInputStream();
            out = tls.getOutputStream();
        }
    }

    private final ServerSocket server;
    private final Script script;
    private final SSLContext tlsContext;
    private final boolean implicitTls;
    private final List<String> received = new CopyOnWriteArrayList<>();
    private final List<String> violations = new CopyOnWriteArrayList<>();
    private final List<Socket> open = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicInteger finished = new AtomicInteger();
    private final Thread acceptor;

    private ScriptedServer(Script script, SSLContext tlsContext, boolean implicitTls) throws IOException {
        this.script = script;
        this.tlsContext = tlsContext;
        this.implicitTls = implicitTls;
        this.server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 200);
        acceptor = new Thread(this::acceptLoop, "scripted-server-" + server.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public static ScriptedServer start(Script script) throws IOException {
        return new ScriptedServer(script, null, false);
    }

    /** A server whose {@link Script#startTls()} uses {@code tls}. */
    public static ScriptedServer start(Script script, SSLContext tls) throws IOException {
        return new ScriptedServer(script, tls, false);
    }

    /** A server that does TLS from the first byte, then plays the script. */
    public static ScriptedServer startImplicitTls(Script script, SSLContext tls) throws IOException {
        return new ScriptedServer(script, tls, true);
    }

    public int port() {
        return server.getLocalPort();
    }

    /** Every line the clients sent, in order. */
    public List<String> received() {
        return List.copyOf(received);
    }

    public List<String> violations() {
        return List.copyOf(violations);
    }

    public int connections() {
        return connections.get();
    }

    /** Connections whose script and socket are done. */
    public int finished() {
        return finished.get();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                connections.incrementAndGet();
                open.add(s);
                Thread t = new Thread(() -> serve(s), "scripted-conn-" + s.getPort());
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket raw) {
        Socket s = raw;
        try {
            s.setTcpNoDelay(true);
            Conn c = new Conn(s);
            if (implicitTls) {
                c.startTls();
            }
            for (Action a : script.actions) {
                a.run(c);
                if (c.socket.isClosed()) {
                    return;
                }
            }
            c.drain();
        } catch (IOException | InterruptedException e) {
            // the client went away or a TLS handshake failed: part of the test
        } finally {
            try {
                raw.close();
            } catch (IOException ignored) {
                // closing
            }
            open.remove(raw);
            finished.incrementAndGet();
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        synchronized (open) {
            for (Socket s : open) {
                s.close();
            }
        }
        try {
            acceptor.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
