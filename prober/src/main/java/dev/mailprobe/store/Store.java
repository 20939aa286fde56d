package dev.mailprobe.store;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The durable store: one SQLite file in WAL mode. Writes are synchronous (an event written is an
 * event kept across kill -9). Tables are created by the rooms that own them through {@link #migrate}.
 */
public final class Store implements AutoCloseable {
    private final Path path;
    private final Connection connection;

    private Store(Path path, Connection connection) {
        this.path = path;
        this.connection = connection;
    }

    public static Store open(Path path) throws StoreException {
        try {
            Path parent = path.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Connection c = DriverManager.getConnection("jdbc:sqlite:" + path.toAbsolutePath());
            try (Statement s = c.createStatement()) {
                s.execute("PRAGMA journal_mode=WAL");
                s.execute("PRAGMA synchronous=FULL");
                s.execute("PRAGMA busy_timeout=5000");
                s.execute("CREATE TABLE IF NOT EXISTS schema_version (room TEXT PRIMARY KEY, version INTEGER NOT NULL)");
            }
            return new Store(path, c);
        } catch (SQLException | java.io.IOException e) {
            throw new StoreException("cannot open store " + path + ": " + e.getMessage(), e);
        }
    }

    public Path path() {
        return path;
    }

    /** The JDBC connection; callers serialise access (the store is used from one worker at a time). */
    public synchronized Connection connection() {
        return connection;
    }

    /** Runs {@code ddl} for {@code room} unless that room's schema is already at {@code version}. */
    public synchronized void migrate(String room, int version, String... ddl) throws StoreException {
        try (Statement s = connection.createStatement()) {
            var rs = s.executeQuery("SELECT version FROM schema_version WHERE room = '" + room.replace("'", "''") + "'");
            if (rs.next() && rs.getInt(1) >= version) {
                return;
            }
            for (String statement : ddl) {
                s.execute(statement);
            }
            s.execute("INSERT OR REPLACE INTO schema_version(room, version) VALUES ('" + room.replace("'", "''") + "', " + version + ")");
        } catch (SQLException e) {
            throw new StoreException("cannot migrate store " + path + " (" + room + "): " + e.getMessage(), e);
        }
    }

    /** Checkpoints the WAL into the main file and closes. */
    @Override
    public synchronized void close() {
        try (Statement s = connection.createStatement()) {
            s.execute("PRAGMA wal_checkpoint(TRUNCATE)");
        } catch (SQLException ignored) {
            // closing anyway: the WAL is durable on its own
        }
        try {
            connection.close();
        } catch (SQLException ignored) {
            // nothing left to do
        }
    }

    public static final class StoreException extends Exception {
        public StoreException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
