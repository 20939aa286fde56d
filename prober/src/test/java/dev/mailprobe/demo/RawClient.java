package dev.mailprobe.demo;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** A blocking line-oriented test client on a plain java.net.Socket with timeouts. */
final class RawClient implements AutoCloseable {
    final Socket socket;
    private final BufferedReader in;
    private final OutputStream out;

    RawClient(String host, int port, int readTimeoutMs) throws IOException {
        socket = new Socket();
        socket.connect(new InetSocketAddress(host, port), 2000);
        socket.setSoTimeout(readTimeoutMs);
        in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1));
        out = socket.getOutputStream();
    }

    String line() throws IOException {
        return in.readLine();
    }

    /** An SMTP reply, multi-line replies joined with '\n'. */
    String smtpReply() throws IOException {
        StringBuilder sb = new StringBuilder();
        while (true) {
            String l = in.readLine();
            if (l == null) {
                throw new IOException("connection closed after: " + sb);
            }
            sb.append(sb.length() == 0 ? "" : "\n").append(l);
            if (l.length() < 4 || l.charAt(3) != '-') {
                return sb.toString();
            }
        }
    }

    /** Reads lines until one starts with {@code prefix}; returns it. */
    String lineStartingWith(String prefix) throws IOException {
        while (true) {
            String l = in.readLine();
            if (l == null) {
                throw new IOException("connection closed before a line starting with " + prefix);
            }
            if (l.startsWith(prefix)) {
                return l;
            }
        }
    }

    void send(String line) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    int read() throws IOException {
        return socket.getInputStream().read();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
