package dev.mailprobe.probe.imap;

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
 * IMAP: connect, [implicit TLS], greeting, CAPABILITY, [STARTTLS, CAPABILITY], [LOGIN, SELECT INBOX]
 * when an account is set, LOGOUT.
 */
public final class ImapProber extends AbstractSessionProber {

    public ImapProber(Vertx vertx, NetClient client, TlsOptionsCache tlsOptions, ProbeResources resources) {
        super(vertx, client, tlsOptions, resources);
    }

    @Override
    protected Future<?> dialogue(ProbeSession s) {
        ImapConnection c = new ImapConnection(s);
        TlsMode tls = s.target().endpoint().tls();
        Account account = s.target().endpoint().account();
        boolean[] preauth = new boolean[1];
        return Connect.run(s)
                .compose(v -> tls == TlsMode.IMPLICIT ? TlsUpgrade.run(s) : Future.succeededFuture())
                .compose(v -> ImapGreeting.run(c))
                .compose(pre -> {
                    preauth[0] = pre;
                    return Capability.run(c);
                })
                .compose(v -> tls == TlsMode.STARTTLS
                        ? ImapStartTls.run(c).compose(x -> Capability.run(c))
                        : Future.succeededFuture())
                .compose(v -> account != null && !preauth[0] ? Login.run(c, account) : Future.succeededFuture())
                .compose(v -> account != null || preauth[0] ? Select.run(c) : Future.succeededFuture())
                .compose(v -> Logout.run(c));
    }
}
