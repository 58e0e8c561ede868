package io.trunkline.service.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The dialer nodes sharing one database: each heartbeats its row; a node whose heartbeat is older than the lease is
 * dead, and the first live node to notice adopts its unended calls, in the same transaction that removes its row,
 * so exactly one node takes them over and none is left behind if that node dies in turn (its own calls then go to
 * the next). The adopter then treats them as its own after a crash: undialled ones are queued again, ones that may
 * have been dialled are ended, never dialled twice.
 *
 * <p>SQLite is one process's store: there every other node is dead at once (a restart adopts without waiting).
 * Heartbeats use each node's wall clock; nodes sharing a database must keep their clocks in step (NTP), well within
 * the lease.
 */
public final class NodeStore {
    private final Database db;
    private final String node;

    NodeStore(Database db, String node) {
        this.db = db;
        this.node = node;
    }

    /** A name for a process that was given none: host, pid and a random suffix, so a restart is a new node. */
    public static String newNodeId() {
        String host;
        try {
            host = java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            host = "host";
        }
        host = host.replaceAll("[^A-Za-z0-9.-]", "").toLowerCase(java.util.Locale.ROOT);
        if (host.length() > 40) host = host.substring(0, 40);
        byte[] r = new byte[3];
        ThreadLocalRandom.current().nextBytes(r);
        return host + "-" + ProcessHandle.current().pid() + "-" + HexFormat.of().formatHex(r);
    }

    public String node() { return node; }

    /** Whether several processes may share this store (PostgreSQL), so leases and shares matter. */
    public boolean shared() { return db.postgres; }

    /** Writes this node's heartbeat, creating its row when missing; returns false when the row had gone (adopted). */
    public boolean heartbeat(Instant now) {
        long t = now.toEpochMilli();
        return db.write("heartbeat", x -> {
            try (PreparedStatement ps = x.prepareStatement("UPDATE nodes SET heartbeat_at = ? WHERE id = ?")) {
                ps.setLong(1, t);
                ps.setString(2, node);
                if (ps.executeUpdate() == 1) return true;
            }
            try (PreparedStatement ps = x.prepareStatement("INSERT INTO nodes (id, started_at, heartbeat_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING")) {
                ps.setString(1, node);
                ps.setLong(2, t);
                ps.setLong(3, t);
                ps.executeUpdate();
            }
            return false;
        });
    }

    /** A node's row. */
    public record Node(String id, Instant startedAt, Instant heartbeatAt) {}

    /** The nodes whose heartbeat is at or after {@code since}, by id. */
    public List<Node> live(Instant since) {
        return db.read("reading the nodes", x -> {
            try (PreparedStatement ps = x.prepareStatement("SELECT id, started_at, heartbeat_at FROM nodes WHERE heartbeat_at >= ? ORDER BY id")) {
                ps.setLong(1, since.toEpochMilli());
                List<Node> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) out.add(new Node(rs.getString(1), Instant.ofEpochMilli(rs.getLong(2)), Instant.ofEpochMilli(rs.getLong(3))));
                }
                return out;
            }
        });
    }

    /**
     * Adopts the unended calls of every node whose heartbeat is older than {@code deadBefore} (on SQLite: every
     * other node), and of nodes that have no row at all, removing the dead rows. Returns the ids it adopted.
     */
    public List<String> adoptDead(Instant deadBefore) {
        long cutoff = db.postgres ? deadBefore.toEpochMilli() : Long.MAX_VALUE;
        return db.write("adopting the calls of dead nodes", x -> {
            List<String> dead = new ArrayList<>();
            try (PreparedStatement ps = x.prepareStatement("SELECT id FROM nodes WHERE id <> ? AND heartbeat_at < ?" + db.skipLocked())) {
                ps.setString(1, node);
                ps.setLong(2, cutoff);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) dead.add(rs.getString(1));
                }
            }
            List<String> adopted = new ArrayList<>();
            for (String d : dead) {
                try (PreparedStatement ps = x.prepareStatement("DELETE FROM nodes WHERE id = ? AND heartbeat_at < ?")) {
                    ps.setString(1, d);
                    ps.setLong(2, cutoff);
                    if (ps.executeUpdate() != 1) continue; // it came back, or another node got there first
                }
                adopted.addAll(reassign(x, "node_id = ?", d));
            }
            // calls of a node that has no row (it stopped without ending them, or they predate nodes)
            adopted.addAll(reassign(x, "node_id IS NOT NULL AND node_id <> ? AND node_id NOT IN (SELECT id FROM nodes)", node));
            return adopted;
        });
    }

    private List<String> reassign(java.sql.Connection x, String which, String param) throws java.sql.SQLException {
        try (PreparedStatement ps = x.prepareStatement("UPDATE calls SET node_id = ? WHERE ended = 0 AND " + which + " RETURNING id")) {
            ps.setString(1, node);
            ps.setString(2, param);
            List<String> ids = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) ids.add(rs.getString(1));
            }
            return ids;
        }
    }

    /** Removes this node's row at a clean stop: its calls have ended or gone back to the store. */
    public void leave() {
        db.write("leaving", x -> {
            try (PreparedStatement ps = x.prepareStatement("DELETE FROM nodes WHERE id = ?")) {
                ps.setString(1, node);
                return ps.executeUpdate();
            }
        });
    }
}
