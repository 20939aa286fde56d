package dev.mailprobe.probe.pop3;

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

/** POP3: connect, [implicit TLS], greeting, CAPA, [STLS, CAPA], [login, STAT] when an account is set, QUIT. */
public final class Pop3Prober extends AbstractSessionProber {

    public Pop3Prober(Vertx vertx, NetClient client, TlsOptionsCache tlsOptions, ProbeResources resources) {
        super(vertx, client, tlsOptions, resources);
    }

    @Override
    protected Future<?> dialogue(ProbeSession s) {
        TlsMode tls = s.target().endpoint().tls();
        Account account = s.target().endpoint().account();
        return Connect.run(s)
                .compose(v -> tls == TlsMode.IMPLICIT ? TlsUpgrade.run(s) : Future.succeededFuture())
                .compose(v -> Pop3Greeting.run(s))
                .compose(v -> Capa.run(s))
                .compose(caps -> tls == TlsMode.STARTTLS
                        ? Stls.run(s, caps).compose(x -> Capa.run(s))
                        : Future.succeededFuture(caps))
                .compose(caps -> account != null
                        ? Pop3Auth.run(s, caps, account).compose(x -> Stat.run(s))
                        : Future.succeededFuture())
                .compose(v -> Pop3Quit.run(s));
    }
}
