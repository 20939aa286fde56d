package dev.mailprobe.bench;

import io.vertx.core.Vertx;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.parsetools.RecordParser;

/**
 * A minimal SMTP responder for load benchmarks, run as its own process so that its CPU is not
 * counted as the prober's: greets, answers EHLO/MAIL/RCPT/RSET with 250 and QUIT with 221.
 * Prints its port on stdout.
 */
public final class FakeSmtpServer {
    public static void main(String[] args) throws Exception {
        Vertx vertx = Vertx.vertx();
        var server = vertx.createNetServer(new NetServerOptions().setTcpNoDelay(true).setAcceptBacklog(4096))
                .connectHandler(socket -> {
                    socket.write("220 fake.bench ESMTP\r\n");
                    socket.handler(RecordParser.newDelimited("\r\n", line -> {
                        String cmd = line.toString().toUpperCase();
                        if (cmd.startsWith("EHLO")) {
                            socket.write("250-fake.bench\r\n250 8BITMIME\r\n");
                        } else if (cmd.startsWith("QUIT")) {
                            socket.write("221 bye\r\n").onComplete(v -> socket.close());
                        } else {
                            socket.write("250 ok\r\n");
                        }
                    }));
                })
                .listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get();
        System.out.println(server.actualPort());
        System.out.flush();
        Thread.currentThread().join();
    }
}
