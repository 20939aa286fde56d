package dev.mailprobe.testbed;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension behind {@link RealTestbed}: runs {@code testbed/up} once per test JVM (kept in
 * the root store as a closeable resource, so {@code testbed/down} runs when the whole run ends,
 * unless {@code MAILPROBE_TESTBED_KEEP=1}) and resolves {@link Testbed} parameters.
 *
 * <p>A testbed that does not come up fails every test that needs it, with the tail of the script
 * log in the message; it is never skipped (CI must not go green on a missing install).
 */
public final class TestbedExtension implements BeforeAllCallback, ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(TestbedExtension.class);

    @Override
    public void beforeAll(ExtensionContext context) {
        testbed(context);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return parameterContext.getParameter().getType() == Testbed.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        try {
            return testbed(extensionContext);
        } catch (RuntimeException e) {
            throw new ParameterResolutionException("real testbed unavailable: " + e.getMessage(), e);
        }
    }

    /** The one testbed of this JVM, brought up on first use. */
    public static Testbed testbed(ExtensionContext context) {
        Running running = context.getRoot().getStore(NAMESPACE)
                .getOrComputeIfAbsent(Running.class, k -> Running.start(), Running.class);
        return running.get();
    }

    /**
     * The testbed's addresses and its state dir are per machine, so two test JVMs (two checkouts
     * or worktrees) must not use it at once: the first JVM that needs it takes this lock and keeps
     * it until it exits (the OS releases it even on kill -9); another JVM waits here.
     */
    private static synchronized void holdMachineLock() {
        if (machineLock != null) {
            return;
        }
        try {
            FileChannel channel = FileChannel.open(
                    Path.of(System.getProperty("java.io.tmpdir"), "mailprobe-testbed.jvm.lock"),
                    StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            machineLock = channel.lock();
        } catch (IOException e) {
            throw new IllegalStateException("cannot take the testbed's machine lock: " + e.getMessage(), e);
        }
    }

    private static FileLock machineLock;

    /** Root-store resource: the started testbed, or why it could not start (not retried). */
    static final class Running implements ExtensionContext.Store.CloseableResource {
        private final Testbed testbed;
        private final RuntimeException failure;

        private Running(Testbed testbed, RuntimeException failure) {
            this.testbed = testbed;
            this.failure = failure;
        }

        static Running start() {
            Testbed tb = null;
            try {
                holdMachineLock();
                tb = Testbed.locate();
                tb.up();
                return new Running(tb, null);
            } catch (RuntimeException e) {
                return new Running(tb, e);
            }
        }

        Testbed get() {
            if (failure != null) {
                throw new IllegalStateException(failure.getMessage(), failure);
            }
            return testbed;
        }

        @Override
        public void close() {
            if (testbed == null || "1".equals(System.getenv("MAILPROBE_TESTBED_KEEP"))) {
                return;
            }
            testbed.down();
        }
    }
}
