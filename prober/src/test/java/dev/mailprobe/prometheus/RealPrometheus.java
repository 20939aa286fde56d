package dev.mailprobe.prometheus;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Marks a test class (or method) that needs a real Prometheus server (Debian {@code prometheus},
 * installed by {@code scripts/install-test-deps}). Test methods and lifecycle methods may take a
 * {@link PrometheusServer} parameter. One server is started per test JVM, with every rule file
 * under {@code alerts/rules/} loaded and a 5 s scrape and evaluation interval, and stopped when
 * the run ends. A server that cannot start fails the tests; they are never skipped.
 *
 * <p>Tests share the server, so each test registers its own targets with a label that no other
 * test uses (see {@link PrometheusServer#scrape}) and filters its queries by it.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@ExtendWith(PrometheusExtension.class)
public @interface RealPrometheus {}
