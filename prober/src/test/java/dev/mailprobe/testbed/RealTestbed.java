package dev.mailprobe.testbed;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Marks a test class (or method) that runs against the real Postfix + Dovecot testbed
 * ({@code testbed/up}). Tagged {@code real}; test methods may take a {@link Testbed} parameter.
 * The testbed is brought up once per test JVM and brought down at the end of the run
 * (unless {@code MAILPROBE_TESTBED_KEEP=1}). If it cannot be brought up, the tests fail.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Tag("real")
@ExtendWith(TestbedExtension.class)
public @interface RealTestbed {}
