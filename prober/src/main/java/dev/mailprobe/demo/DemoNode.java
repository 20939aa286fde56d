package dev.mailprobe.demo;

import dev.mailprobe.config.Protocol;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** One demo node: its fault state and one proxy per protocol. */
final class DemoNode {
    final String name;
    final String greetingName;
    final List<Protocol> protocols;
    final Set<FaultMode> supported;
    final List<ProtocolProxy> proxies = new ArrayList<>();
    private volatile FaultState state;
    /** Serializes listener changes; touched only on the proxy context. */
    private Future<Void> chain = Future.succeededFuture();

    DemoNode(String name, List<Protocol> protocols, FaultState initial) {
        this.name = name;
        this.greetingName = name + ".demo.mailprobe.test";
        this.protocols = List.copyOf(protocols);
        this.supported = protocols.get(0).speaksSmtp()
                ? Set.of(FaultMode.values())
                : Set.of(FaultMode.CRASH, FaultMode.BLACKHOLE, FaultMode.SLOW, FaultMode.REJECT, FaultMode.NONE);
        this.state = initial;
    }

    FaultState state() {
        return state;
    }

    void state(FaultState s) {
        state = s;
    }

    ProtocolProxy proxy(Protocol p) {
        return proxies.stream().filter(x -> x.protocol == p).findFirst().orElseThrow();
    }

    /** On the proxy context: bring listeners and connections in line with the current mode. */
    Future<Void> reconcile(boolean shuttingDown) {
        chain = chain.transform(ignored -> {
            boolean down = shuttingDown || state.mode() == FaultMode.CRASH;
            if (down) {
                proxies.forEach(ProtocolProxy::cutConnections);
                return Future.join(proxies.stream().map(ProtocolProxy::stopListening).toList()).mapEmpty();
            }
            return Future.all(proxies.stream().map(ProtocolProxy::listen).toList()).mapEmpty();
        });
        return chain;
    }
}
