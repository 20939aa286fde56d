package dev.mailprobe.prometheus;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension behind {@link RealPrometheus}: starts one {@link PrometheusServer} per test
 * JVM (kept in the root store, so it stops when the whole run ends) and resolves it as a parameter.
 * A server that failed to start is not retried: every later test gets the same failure.
 */
public final class PrometheusExtension implements ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(PrometheusExtension.class);

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return parameterContext.getParameter().getType() == PrometheusServer.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        try {
            return server(extensionContext);
        } catch (RuntimeException e) {
            throw new ParameterResolutionException("real Prometheus unavailable: " + e.getMessage(), e);
        }
    }

    /** The one server of this JVM, started on first use. */
    public static PrometheusServer server(ExtensionContext context) {
        Running running = context.getRoot().getStore(NAMESPACE)
                .getOrComputeIfAbsent(Running.class, k -> Running.start(), Running.class);
        return running.get();
    }

    /** Root-store resource: the started server, or why it could not start. */
    static final class Running implements ExtensionContext.Store.CloseableResource {
        private final PrometheusServer server;
        private final RuntimeException failure;

        private Running(PrometheusServer server, RuntimeException failure) {
            this.server = server;
            this.failure = failure;
        }

        static Running start() {
            try {
                return new Running(PrometheusServer.start(PrometheusServer.projectRoot()), null);
            } catch (RuntimeException e) {
                return new Running(null, e);
            }
        }

        PrometheusServer get() {
            if (failure != null) {
                throw new IllegalStateException(failure.getMessage(), failure);
            }
            return server;
        }

        @Override
        public void close() {
            if (server != null) {
                server.close();
            }
        }
    }
}
