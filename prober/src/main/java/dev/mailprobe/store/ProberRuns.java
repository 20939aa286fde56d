package dev.mailprobe.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.Optional;

/**
 * When this prober ran against the store: what it can have observed. A report must not count
 * time before the first run as uptime (MTBF would be inflated by time nobody watched).
 */
public final class ProberRuns {
    private final Store store;

    public ProberRuns(Store store) throws Store.StoreException {
        this.store = store;
        store.migrate("runs", 1,
                "CREATE TABLE IF NOT EXISTS prober_runs (id INTEGER PRIMARY KEY AUTOINCREMENT, started_ms INTEGER NOT NULL, stopped_ms INTEGER)");
    }

    /** Records a run starting now; returns its id. */
    public long started(Instant at) throws Store.StoreException {
        synchronized (store) {
            try (PreparedStatement ps = store.connection().prepareStatement(
                    "INSERT INTO prober_runs(started_ms) VALUES (?)", Statement.RETURN_GENERATED_KEYS)) {
                ps.setLong(1, at.toEpochMilli());
                ps.executeUpdate();
                try (ResultSet keys = ps.getGeneratedKeys()) {
                    keys.next();
                    return keys.getLong(1);
                }
            } catch (SQLException e) {
                throw new Store.StoreException("cannot record the prober's start: " + e.getMessage(), e);
            }
        }
    }

    /** Records a clean stop of run {@code id} (a killed run keeps a null stop). */
    public void stopped(long id, Instant at) {
        synchronized (store) {
            try (PreparedStatement ps = store.connection().prepareStatement("UPDATE prober_runs SET stopped_ms = ? WHERE id = ?")) {
                ps.setLong(1, at.toEpochMilli());
                ps.setLong(2, id);
                ps.executeUpdate();
            } catch (SQLException ignored) {
                // the store is closing anyway; the run stays open-ended
            }
        }
    }

    /** The start of the first recorded run, if any. */
    public Optional<Instant> firstStart() {
        synchronized (store) {
            try (Statement s = store.connection().createStatement();
                 ResultSet rs = s.executeQuery("SELECT MIN(started_ms) FROM prober_runs")) {
                long ms = rs.next() ? rs.getLong(1) : 0;
                return rs.wasNull() || ms == 0 ? Optional.empty() : Optional.of(Instant.ofEpochMilli(ms));
            } catch (SQLException e) {
                return Optional.empty();
            }
        }
    }
}
