package dev.mailprobe.probe.smtp;

import dev.mailprobe.config.Account;
import dev.mailprobe.config.TlsMode;
import dev.mailprobe.probe.session.AbstractSessionProber;
import dev.mailprobe.probe.session.Connect;
import dev.mailprobe.probe.session.ProbeResources;
import dev.mailprobe.probe.session.ProbeSession;
import dev.mailprobe.probe.session.TlsOptionsCache;
import dev.mailprobe.probe.session.TlsUpgrade;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;

/**
 * SMTP and submission: connect, [implicit TLS], greeting, EHLO, [STARTTLS, EHLO], [AUTH],
 * MAIL/RCPT/RSET, QUIT.
 */
public final class SmtpProber extends AbstractSessionProber {

    public SmtpProber(Vertx vertx, NetClient client, TlsOptionsCache tlsOptions, ProbeResources resources) {
        super(vertx, client, tlsOptions, resources);
    }

    @Override
    protected Future<?> dialogue(ProbeSession s) {
        TlsMode tls = s.target().endpoint().tls();
        Account account = s.target().endpoint().account();
        String[] greetingDomain = new String[1];
        return Connect.run(s)
                .compose(v -> tls == TlsMode.IMPLICIT ? TlsUpgrade.run(s) : Future.succeededFuture())
                .compose(v -> Greeting.run(s))
                .compose(domain -> {
                    greetingDomain[0] = domain;
                    return Ehlo.run(s, clientName(s));
                })
                .compose(caps -> tls == TlsMode.STARTTLS
                        ? StartTls.run(s, caps).compose(v -> Ehlo.run(s, clientName(s)))
                        : Future.succeededFuture(caps))
                .compose(caps -> account != null ? Auth.run(s, caps, account) : Future.succeededFuture())
                .compose(v -> Transaction.run(s, greetingDomain[0], account, s.target().envelopeAddress()))
                .compose(v -> Quit.run(s));
    }

    /** EHLO argument: our address as an address literal (RFC 5321 4.1.3). */
    static String clientName(ProbeSession s) {
        if (s.socket() == null || s.socket().localAddress() == null || s.socket().localAddress().hostAddress() == null) {
            return "[127.0.0.1]";
        }
        String ip = s.socket().localAddress().hostAddress();
        return ip.contains(":") ? "[IPv6:" + ip + "]" : "[" + ip + "]";
    }
}
