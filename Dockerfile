# mailprobe container image (docs/DEPLOY.md):
#   docker build -t mailprobe:0.1.0 .
#   docker run --rm -p 8080:8080 -v "$PWD/mailprobe.yaml:/etc/mailprobe/config/mailprobe.yaml:ro" mailprobe:0.1.0
# Multi-stage: Maven builds the shaded jar; the runtime image is a JRE 25 with that jar only,
# run as an unprivileged numeric user. No HEALTHCHECK: Kubernetes probes /healthz and /readyz
# (the Helm chart), and Docker health checks are ignored there.

# ---- build: the shaded jar prober/target/mailprobe.jar (tests run in CI, not here)
FROM maven:3.9-eclipse-temurin-25 AS build
WORKDIR /src
COPY pom.xml ./
COPY prober/pom.xml prober/
# dependencies first: a source change does not download them again
RUN mvn -B -ntp -pl prober -am dependency:go-offline
COPY prober/src prober/src
RUN mvn -B -ntp -pl prober -am -DskipTests package \
    && test -s prober/target/mailprobe.jar

# ---- runtime: JRE 25 and the jar
FROM eclipse-temurin:25-jre
# a numeric UID/GID, so that Kubernetes' runAsNonRoot can verify it; its home is the store directory
RUN groupadd --system --gid 10001 mailprobe \
    && useradd --system --uid 10001 --gid 10001 --home-dir /var/lib/mailprobe --no-create-home \
       --shell /usr/sbin/nologin mailprobe \
    && mkdir -p /var/lib/mailprobe /etc/mailprobe/config \
    && chown 10001:10001 /var/lib/mailprobe
COPY --from=build --chown=0:0 --chmod=0444 /src/prober/target/mailprobe.jar /opt/mailprobe/mailprobe.jar
USER 10001:10001
WORKDIR /var/lib/mailprobe
# the heap is a share of the container's memory limit (the Helm chart sets the same from its values)
ENV JDK_JAVA_OPTIONS="-XX:MaxRAMPercentage=50 -XX:+ExitOnOutOfMemoryError"
EXPOSE 8080
# exec form: java is PID 1 and gets SIGTERM directly (mailprobe stops within 5 s and exits 0)
ENTRYPOINT ["java", "-jar", "/opt/mailprobe/mailprobe.jar"]
CMD ["run", "--config", "/etc/mailprobe/config/mailprobe.yaml"]
