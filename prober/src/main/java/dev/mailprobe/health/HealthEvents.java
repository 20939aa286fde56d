package dev.mailprobe.health;

import dev.mailprobe.store.Store;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The durable DOWN events (table {@value #TABLE}): written by the {@link HealthEngine}, read by
 * {@code /api/events} and the {@code report} command. Every write is one autocommitted statement
 * on the store's WAL-mode, {@code synchronous=FULL} connection: when a write returns, the event
 * survives kill -9 and power loss. A partial unique index keeps at most one open event per node.
 *
 * <p>Thread-safe: every access holds the {@link Store}'s monitor (the store has one connection).
 * Writes block on fsync: call from a worker thread, never from an event loop.
 */
public final class HealthEvents {
    public static final String TABLE = "health_down_events";
    static final String ROOM = "health";

    private static final String COLUMNS = "id, node, protocols, start_ms, end_ms, reason, evidence, detected_ms,"
            + " last_failure_ms, end_estimated, note, impact";

    private final Store store;

    public HealthEvents(Store store) throws Store.StoreException {
        this.store = store;
        store.migrate(ROOM, 1,
                "CREATE TABLE IF NOT EXISTS " + TABLE + " ("
                        + " id INTEGER PRIMARY KEY AUTOINCREMENT,"
                        + " node TEXT NOT NULL,"
                        + " protocols TEXT NOT NULL,"          // comma-separated labels, in order of going DOWN
                        + " start_ms INTEGER NOT NULL,"        // first failed probe, epoch ms
                        + " end_ms INTEGER,"                   // first successful probe of the recovery; NULL while open
                        + " reason TEXT NOT NULL,"             // the first failure's reason label
                        + " evidence TEXT NOT NULL,"           // the first failure's evidence, JSON
                        + " detected_ms INTEGER NOT NULL,"     // threshold crossed, event opened
                        + " last_failure_ms INTEGER NOT NULL," // latest failed probe during the event
                        + " end_estimated INTEGER NOT NULL DEFAULT 0,"
                        + " note TEXT,"
                        + " impact TEXT)",                     // JSON, filled by the SLO engine
                "CREATE INDEX IF NOT EXISTS " + TABLE + "_node_start ON " + TABLE + " (node, start_ms)",
                "CREATE INDEX IF NOT EXISTS " + TABLE + "_start ON " + TABLE + " (start_ms)",
                "CREATE UNIQUE INDEX IF NOT EXISTS " + TABLE + "_one_open ON " + TABLE + " (node) WHERE end_ms IS NULL");
    }

    /**
     * Events newest first (by start): of {@code node} when given, that were DOWN at or after
     * {@code since} (open, or ended at or after it; null for all), open or closed only when
     * {@code open} is given.
     */
    public List<DownEvent> events(Optional<String> node, Instant since, Optional<Boolean> open) {
        return events(node, since, open, Integer.MAX_VALUE);
    }

    /** As {@link #events(Optional, Instant, Optional)}, at most {@code limit} of them. */
    public List<DownEvent> events(Optional<String> node, Instant since, Optional<Boolean> open, int limit) {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM " + TABLE + " WHERE 1=1");
        List<Object> args = new ArrayList<>();
        node.ifPresent(n -> {
            sql.append(" AND node = ?");
            args.add(n);
        });
        if (since != null) {
            sql.append(" AND (end_ms IS NULL OR end_ms >= ?)");
            args.add(since.toEpochMilli());
        }
        open.ifPresent(o -> sql.append(o ? " AND end_ms IS NULL" : " AND end_ms IS NOT NULL"));
        sql.append(" ORDER BY start_ms DESC, id DESC LIMIT ?");
        args.add(limit);
        return query(sql.toString(), args.toArray());
    }

    /** Every open event (at most one per node). */
    public List<DownEvent> open() {
        return query("SELECT " + COLUMNS + " FROM " + TABLE + " WHERE end_ms IS NULL ORDER BY start_ms, id");
    }

    public Optional<DownEvent> event(long id) {
        return query("SELECT " + COLUMNS + " FROM " + TABLE + " WHERE id = ?", id).stream().findFirst();
    }

    /** Every node name that has an event. */
    public Set<String> nodes() {
        synchronized (store) {
            try (Statement s = store.connection().createStatement();
                 ResultSet rs = s.executeQuery("SELECT DISTINCT node FROM " + TABLE)) {
                Set<String> out = new TreeSet<>();
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
                return out;
            } catch (SQLException e) {
                throw new HealthStoreException("cannot read " + TABLE + ": " + e.getMessage(), e);
            }
        }
    }

    /** Records the customer impact of event {@code id} (the SLO engine's JSON); null clears it. */
    public void setImpact(long id, JsonObject impact) {
        update("UPDATE " + TABLE + " SET impact = ? WHERE id = ?", impact == null ? null : impact.encode(), id);
    }

    /** Inserts a new event; returns it with its id. */
    DownEvent insert(DownEvent e) {
        synchronized (store) {
            try (PreparedStatement ps = store.connection().prepareStatement(
                    "INSERT INTO " + TABLE + " (node, protocols, start_ms, end_ms, reason, evidence, detected_ms,"
                            + " last_failure_ms, end_estimated, note, impact) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                    Statement.RETURN_GENERATED_KEYS)) {
                bind(ps, e.node(), String.join(",", e.protocols()), e.start().toEpochMilli(), millis(e.end()),
                        e.reason(), e.evidence().toJson().encode(), e.detectedAt().toEpochMilli(),
                        e.lastFailureAt().toEpochMilli(), e.endEstimated() ? 1 : 0, e.note(),
                        e.impact() == null ? null : e.impact().encode());
                ps.executeUpdate();
                try (ResultSet keys = ps.getGeneratedKeys()) {
                    keys.next();
                    return e.withId(keys.getLong(1));
                }
            } catch (SQLException ex) {
                throw new HealthStoreException("cannot insert the DOWN event of " + e.node() + ": " + ex.getMessage(), ex);
            }
        }
    }

    /** Rewrites what the engine may change on an event: protocols, start and evidence, end, notes. */
    void update(DownEvent e) {
        update("UPDATE " + TABLE + " SET protocols = ?, start_ms = ?, end_ms = ?, reason = ?, evidence = ?,"
                        + " last_failure_ms = ?, end_estimated = ?, note = ? WHERE id = ?",
                String.join(",", e.protocols()), e.start().toEpochMilli(), millis(e.end()), e.reason(),
                e.evidence().toJson().encode(), e.lastFailureAt().toEpochMilli(), e.endEstimated() ? 1 : 0,
                e.note(), e.id());
    }

    private void update(String sql, Object... args) {
        synchronized (store) {
            try (PreparedStatement ps = store.connection().prepareStatement(sql)) {
                bind(ps, args);
                ps.executeUpdate();
            } catch (SQLException ex) {
                throw new HealthStoreException("cannot update " + TABLE + ": " + ex.getMessage(), ex);
            }
        }
    }

    private List<DownEvent> query(String sql, Object... args) {
        synchronized (store) {
            Connection c = store.connection();
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                bind(ps, args);
                List<DownEvent> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(row(rs));
                    }
                }
                return out;
            } catch (SQLException ex) {
                throw new HealthStoreException("cannot read " + TABLE + ": " + ex.getMessage(), ex);
            }
        }
    }

    private static DownEvent row(ResultSet rs) throws SQLException {
        long endMs = rs.getLong("end_ms");
        Instant end = rs.wasNull() ? null : Instant.ofEpochMilli(endMs);
        String protocols = rs.getString("protocols");
        String impact = rs.getString("impact");
        return new DownEvent(
                rs.getLong("id"),
                rs.getString("node"),
                protocols.isEmpty() ? List.of() : Arrays.asList(protocols.split(",")),
                Instant.ofEpochMilli(rs.getLong("start_ms")),
                end,
                rs.getString("reason"),
                Evidence.fromJson(new JsonObject(rs.getString("evidence"))),
                Instant.ofEpochMilli(rs.getLong("detected_ms")),
                Instant.ofEpochMilli(rs.getLong("last_failure_ms")),
                rs.getInt("end_estimated") != 0,
                rs.getString("note"),
                impact == null ? null : new JsonObject(impact));
    }

    private static Long millis(Instant t) {
        return t == null ? null : t.toEpochMilli();
    }

    private static void bind(PreparedStatement ps, Object... args) throws SQLException {
        for (int i = 0; i < args.length; i++) {
            Object a = args[i];
            if (a == null) {
                ps.setNull(i + 1, Types.NULL);
            } else if (a instanceof Long l) {
                ps.setLong(i + 1, l);
            } else if (a instanceof Integer n) {
                ps.setInt(i + 1, n);
            } else {
                ps.setString(i + 1, a.toString());
            }
        }
    }

    /** A store read or write failed (disk full, file removed...). */
    public static final class HealthStoreException extends RuntimeException {
        HealthStoreException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
