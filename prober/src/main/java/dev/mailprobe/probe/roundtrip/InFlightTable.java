package dev.mailprobe.probe.roundtrip;

import dev.mailprobe.store.Store;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Round-trip mail in flight, durable across restarts ({@code roundtrip_inflight}). A row is written
 * (synchronously) once the send node accepted the mail, and deleted (synchronously) when its final
 * result is decided, before that result is published: a kill -9 can at worst lose one result in
 * the instant between the two, never count a mail twice.
 */
final class InFlightTable {
    static final String ROOM = "roundtrip";
    static final int VERSION = 1;
    static final String DDL = "CREATE TABLE IF NOT EXISTS roundtrip_inflight ("
            + "id TEXT PRIMARY KEY, "
            + "send_node TEXT NOT NULL, "
            + "fetch_node TEXT NOT NULL, "
            + "served_by_send TEXT NOT NULL, "
            + "watcher TEXT NOT NULL, "
            + "sent_at_ms INTEGER NOT NULL, "
            + "send_reply TEXT)";

    record Row(String id, String sendNode, String fetchNode, String servedBySend, String watcher, Instant sentAt,
               String sendReply) {}

    private final Store store;

    InFlightTable(Store store) throws Store.StoreException {
        this.store = store;
        store.migrate(ROOM, VERSION, DDL);
    }

    void insert(Row r) throws Store.StoreException {
        synchronized (store) {
            Connection c = store.connection();
            try (PreparedStatement s = c.prepareStatement("INSERT OR REPLACE INTO roundtrip_inflight"
                    + "(id, send_node, fetch_node, served_by_send, watcher, sent_at_ms, send_reply) VALUES (?,?,?,?,?,?,?)")) {
                s.setString(1, r.id());
                s.setString(2, r.sendNode());
                s.setString(3, r.fetchNode());
                s.setString(4, r.servedBySend());
                s.setString(5, r.watcher());
                s.setLong(6, r.sentAt().toEpochMilli());
                s.setString(7, r.sendReply());
                s.executeUpdate();
            } catch (SQLException e) {
                throw new Store.StoreException("cannot record round trip " + r.id() + " in flight: " + e.getMessage(), e);
            }
        }
    }

    /** @return whether the row existed (false: another owner already decided this mail) */
    boolean delete(String id) throws Store.StoreException {
        synchronized (store) {
            try (PreparedStatement s = store.connection().prepareStatement("DELETE FROM roundtrip_inflight WHERE id = ?")) {
                s.setString(1, id);
                return s.executeUpdate() > 0;
            } catch (SQLException e) {
                throw new Store.StoreException("cannot delete round trip " + id + " in flight: " + e.getMessage(), e);
            }
        }
    }

    List<Row> all() throws Store.StoreException {
        synchronized (store) {
            List<Row> rows = new ArrayList<>();
            try (PreparedStatement s = store.connection().prepareStatement(
                    "SELECT id, send_node, fetch_node, served_by_send, watcher, sent_at_ms, send_reply FROM roundtrip_inflight ORDER BY sent_at_ms");
                 ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    rows.add(new Row(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                            Instant.ofEpochMilli(rs.getLong(6)), rs.getString(7)));
                }
            } catch (SQLException e) {
                throw new Store.StoreException("cannot read round trips in flight: " + e.getMessage(), e);
            }
            return rows;
        }
    }
}
