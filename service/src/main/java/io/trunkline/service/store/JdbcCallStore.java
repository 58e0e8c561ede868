package io.trunkline.service.store;


import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The call store over JDBC ({@link Database}: SQLite or PostgreSQL), the same SQL on both but for
 * {@code FOR UPDATE SKIP LOCKED} where several processes may claim from one database.
 *
 * <p>Several dialer processes (nodes) may share one PostgreSQL. Each call a node takes is marked with the node's
 * name, and the node journals only calls so marked: when a node stops heartbeating, another adopts its calls
 * ({@link NodeStore}), and from then on the first node's late writes, and its attempt to dial one of them, change
 * nothing. That is what keeps every call dialled once when a node dies or stalls.
 */
public final class JdbcCallStore implements CallStore {
    private static final String CALL_COLUMNS = "id, seq, status, from_number, to_number, api_key_id, created_at, not_before, not_after, request, resource, dispatched_at, ended";
    private static final String EVENT_COLUMNS = "call_id, seq, type, payload, url, api_key_id, created_at, attempts, next_attempt_at, delivered_at, abandoned, last_error";
    /** The head (lowest pending sequence) of each call's outbox. */
    private static final String HEAD = "e.pending = 1 AND e.seq = (SELECT MIN(x.seq) FROM call_events x WHERE x.call_id = e.call_id AND x.pending = 1)";

    private final Database db;
    private final String node; // this process: it claims calls in its name, and journals only the calls it holds
    private final JdbcCampaignStore campaigns;
    private final NodeStore nodes;

    private JdbcCallStore(Database db, String node) {
        this.db = db;
        this.node = node;
        this.campaigns = new JdbcCampaignStore(db, this);
        this.nodes = new NodeStore(db, node);
    }

    /** Opens the store for a process named {@code node} (see {@link NodeStore}). */
    public static JdbcCallStore open(StoreSettings s, String node) {
        return new JdbcCallStore(Database.open(s), node);
    }

    /** Opens the store for a process with a name of its own. */
    public static JdbcCallStore open(StoreSettings s) {
        return open(s, NodeStore.newNodeId());
    }

    /** The campaigns, recipients, do-not-call list and dialer nodes, in the same database. */
    public JdbcCampaignStore campaigns() { return campaigns; }

    /** The dialer nodes sharing this database, and this one's lease. */
    public NodeStore nodes() { return nodes; }

    @Override
    public String node() { return node; }

    private <T> T write(String operation, Database.Work<T> work) {
        return db.write(operation, work);
    }

    private <T> T read(String operation, Database.Work<T> work) {
        return db.read(operation, work);
    }

    // ---- calls ----

    @Override
    public AcceptResult accept(String idempotencyKey, String requestHash, List<NewCall> calls, String response) {
        for (int attempt = 0; ; attempt++) {
            try {
                return write("accepting calls", c -> {
                    if (idempotencyKey != null) {
                        AcceptResult earlier = idempotent(c, idempotencyKey, requestHash);
                        if (earlier != null) return earlier;
                        try (PreparedStatement ps = c.prepareStatement("INSERT INTO idempotency (key, request_hash, response, created_at) VALUES (?, ?, ?, ?)")) {
                            ps.setString(1, idempotencyKey);
                            ps.setString(2, requestHash);
                            ps.setString(3, response);
                            ps.setLong(4, System.currentTimeMillis());
                            ps.executeUpdate();
                        }
                    }
                    insert(c, calls);
                    return new AcceptResult(false, response, false);
                });
            } catch (StoreException e) {
                // two requests with one key at once on PostgreSQL: the loser's insert breaks the key; read the winner's
                if (attempt == 0 && idempotencyKey != null && e.getCause() instanceof SQLException s && "23505".equals(s.getSQLState())) continue;
                throw e;
            }
        }
    }

    private static AcceptResult idempotent(Connection c, String key, String hash) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT request_hash, response FROM idempotency WHERE key = ?")) {
            ps.setString(1, key);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) return null;
                return new AcceptResult(true, rs.getString(2), !rs.getString(1).equals(hash));
            }
        }
    }

    void insert(Connection c, List<NewCall> calls) throws SQLException {
        if (calls.isEmpty()) return;
        long last;
        try (PreparedStatement ps = c.prepareStatement("UPDATE counters SET value = value + ? WHERE name = 'calls' RETURNING value")) {
            ps.setLong(1, calls.size());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                last = rs.getLong(1);
            }
        }
        long seq = last - calls.size();
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO calls (seq, id, status, from_number, to_number, api_key_id, created_at,"
                + " not_before, not_after, request, resource, dispatched_at, ended, updated_at, node_id, campaign_id, recipient_line)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?)")) {
            for (NewCall n : calls) {
                ps.setLong(1, ++seq);
                ps.setString(2, n.id());
                ps.setString(3, n.status());
                ps.setString(4, n.from());
                ps.setString(5, n.to());
                ps.setString(6, n.apiKeyId());
                ps.setLong(7, n.createdAt().toEpochMilli());
                setInstant(ps, 8, n.notBefore());
                setInstant(ps, 9, n.notAfter());
                ps.setString(10, n.request());
                ps.setString(11, n.resource());
                setInstant(ps, 12, n.dispatchedAt());
                ps.setLong(13, n.createdAt().toEpochMilli());
                ps.setString(14, n.dispatchedAt() == null ? null : node); // handed over at once: this node holds it
                ps.setString(15, n.campaignId());
                if (n.campaignId() == null) ps.setNull(16, Types.BIGINT);
                else ps.setLong(16, n.recipientLine());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    @Override
    public int purgeIdempotencyKeys(Instant before) {
        return write("purging idempotency keys", c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM idempotency WHERE created_at < ?")) {
                ps.setLong(1, before.toEpochMilli());
                return ps.executeUpdate();
            }
        });
    }

    @Override
    public Optional<StoredCall> get(String id) {
        return read("reading a call", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + CALL_COLUMNS + " FROM calls WHERE id = ?")) {
                ps.setString(1, id);
                List<StoredCall> r = calls(ps);
                return r.isEmpty() ? Optional.empty() : Optional.of(r.get(0));
            }
        });
    }

    @Override
    public List<StoredCall> list(CallQuery q) {
        StringBuilder sql = new StringBuilder("SELECT " + CALL_COLUMNS + " FROM calls WHERE 1 = 1");
        List<Object> args = new ArrayList<>();
        if (q.status() != null) { sql.append(" AND status = ?"); args.add(q.status()); }
        if (q.from() != null) { sql.append(" AND from_number = ?"); args.add(q.from()); }
        if (q.to() != null) { sql.append(" AND to_number = ?"); args.add(q.to()); }
        if (q.since() != null) { sql.append(" AND created_at >= ?"); args.add(q.since().toEpochMilli()); }
        if (q.until() != null) { sql.append(" AND created_at < ?"); args.add(q.until().toEpochMilli()); }
        if (q.beforeSeq() > 0) { sql.append(" AND seq < ?"); args.add(q.beforeSeq()); }
        if (q.apiKeyId() != null) { sql.append(" AND api_key_id = ?"); args.add(q.apiKeyId()); }
        sql.append(" ORDER BY seq DESC LIMIT ?");
        args.add(q.limit());
        return read("listing calls", c -> {
            try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
                for (int i = 0; i < args.size(); i++) ps.setObject(i + 1, args.get(i));
                return calls(ps);
            }
        });
    }

    @Override
    public long pendingCount() {
        return read("counting waiting calls", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM calls WHERE ended = 0 AND dispatched_at IS NULL");
                 ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    @Override
    public java.util.Map<String, Long> unendedByStatus() {
        return read("counting calls by status", c -> {
            java.util.Map<String, Long> out = new java.util.TreeMap<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT status, COUNT(*) FROM calls WHERE ended = 0 GROUP BY status");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.put(rs.getString(1), rs.getLong(2));
            }
            return out;
        });
    }

    @Override
    public List<StoredCall> claimDue(Instant now, int max) {
        long t = now.toEpochMilli();
        return write("claiming due calls", c -> {
            List<StoredCall> due;
            // a paused campaign's queued calls stay in the store until it resumes
            try (PreparedStatement ps = c.prepareStatement("SELECT " + CALL_COLUMNS + " FROM calls WHERE ended = 0 AND dispatched_at IS NULL"
                    + " AND (not_before IS NULL OR not_before <= ?) AND (not_after IS NULL OR not_after > ?)"
                    + " AND (campaign_id IS NULL OR campaign_id IN (SELECT id FROM campaigns WHERE status = 'running')) ORDER BY seq LIMIT ?"
                    + db.skipLocked())) {
                ps.setLong(1, t);
                ps.setLong(2, t);
                ps.setInt(3, max);
                due = calls(ps);
            }
            if (due.isEmpty()) return due;
            try (PreparedStatement ps = c.prepareStatement("UPDATE calls SET dispatched_at = ?, updated_at = ?, node_id = ? WHERE id = ?")) {
                for (StoredCall s : due) {
                    ps.setLong(1, t);
                    ps.setLong(2, t);
                    ps.setString(3, node);
                    ps.setString(4, s.id());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            List<StoredCall> claimed = new ArrayList<>(due.size());
            for (StoredCall s : due) claimed.add(new StoredCall(s.id(), s.seq(), s.status(), s.from(), s.to(), s.apiKeyId(), s.createdAt(),
                    s.notBefore(), s.notAfter(), s.request(), s.resource(), now, false));
            return claimed;
        });
    }

    @Override
    public List<StoredCall> expireOverdue(Instant now, int max, CallEnding ending) {
        long t = now.toEpochMilli();
        return write("expiring overdue calls", c -> {
            List<StoredCall> overdue;
            try (PreparedStatement ps = c.prepareStatement("SELECT " + CALL_COLUMNS + " FROM calls WHERE ended = 0 AND dispatched_at IS NULL"
                    + " AND not_after IS NOT NULL AND not_after <= ? ORDER BY seq LIMIT ?" + db.skipLocked())) {
                ps.setLong(1, t);
                ps.setInt(2, max);
                overdue = calls(ps);
            }
            for (StoredCall s : overdue) {
                setCall(c, s.id(), "expired", ending.resource(s), true, t, "");
                appendEvents(c, s.id(), s.apiKeyId(), ending.events(s), t);
            }
            return overdue;
        });
    }

    @Override
    public List<StoredCall> dispatchedUnended() {
        return read("reading calls in flight", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + CALL_COLUMNS + " FROM calls WHERE ended = 0 AND dispatched_at IS NOT NULL"
                    + " AND node_id = ? ORDER BY seq")) {
                ps.setString(1, node);
                return calls(ps);
            }
        });
    }

    @Override
    public boolean requestHangup(String id) {
        return write("asking for a hangup", c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE calls SET hangup_requested = 1 WHERE id = ? AND ended = 0"
                    + " AND dispatched_at IS NOT NULL AND node_id <> ?")) {
                ps.setString(1, id);
                ps.setString(2, node);
                return ps.executeUpdate() == 1;
            }
        });
    }

    @Override
    public List<String> hangupsRequested() {
        return read("reading hangups asked for", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT id FROM calls WHERE node_id = ? AND ended = 0 AND hangup_requested = 1")) {
                ps.setString(1, node);
                List<String> ids = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) ids.add(rs.getString(1));
                }
                return ids;
            }
        });
    }

    @Override
    public Dialing markDialing(String id, Instant dispatchedAt, String resource) {
        long t = System.currentTimeMillis();
        long dispatch = dispatchedAt.toEpochMilli();
        return write("marking a call dialing", c -> {
            // held by this node from this dispatch (not adopted by another, nor requeued and claimed again since),
            // not dialled yet, and, for a campaign's call, its campaign still running
            try (PreparedStatement ps = c.prepareStatement("UPDATE calls SET status = 'dialing', resource = ?, updated_at = ?"
                    + " WHERE id = ? AND ended = 0 AND node_id = ? AND dispatched_at = ? AND status IN ('queued', 'scheduled') AND (campaign_id IS NULL"
                    + " OR EXISTS (SELECT 1 FROM campaigns p WHERE p.id = calls.campaign_id AND p.status = 'running'))")) {
                ps.setString(1, resource);
                ps.setLong(2, t);
                ps.setString(3, id);
                ps.setString(4, node);
                ps.setLong(5, dispatch);
                if (ps.executeUpdate() == 1) return Dialing.OK;
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT c.node_id, c.ended, p.status, c.dispatched_at, c.status FROM calls c"
                    + " LEFT JOIN campaigns p ON p.id = c.campaign_id WHERE c.id = ?")) {
                ps.setString(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next() || !node.equals(rs.getString(1)) || rs.getInt(2) != 0 || rs.getLong(4) != dispatch
                            || !("queued".equals(rs.getString(5)) || "scheduled".equals(rs.getString(5)))) return Dialing.NOT_OURS;
                    String campaign = rs.getString(3);
                    return "paused".equals(campaign) || "scheduled".equals(campaign) ? Dialing.CAMPAIGN_PAUSED : Dialing.CAMPAIGN_ENDED;
                }
            }
        });
    }

    @Override
    public boolean update(String id, String status, String resource, boolean ended, List<NewEvent> events) {
        long t = System.currentTimeMillis();
        return write("journalling a call", c -> {
            if (!setCall(c, id, status, resource, ended, t, " AND node_id = ?", node)) return false;
            if (!events.isEmpty()) appendEvents(c, id, null, events, t);
            return true;
        });
    }

    @Override
    public boolean endUndispatched(String id, String status, String resource, List<NewEvent> events) {
        long t = System.currentTimeMillis();
        return write("ending a waiting call", c -> {
            if (!setCall(c, id, status, resource, true, t, " AND dispatched_at IS NULL")) return false;
            appendEvents(c, id, null, events, t);
            return true;
        });
    }

    @Override
    public boolean requeue(String id, String status, String resource) {
        long t = System.currentTimeMillis();
        return write("requeueing a call", c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE calls SET dispatched_at = NULL, node_id = NULL, status = ?, resource = ?, updated_at = ?"
                    + " WHERE id = ? AND ended = 0 AND node_id = ?")) {
                ps.setString(1, status);
                ps.setString(2, resource);
                ps.setLong(3, t);
                ps.setString(4, id);
                ps.setString(5, node);
                return ps.executeUpdate() == 1;
            }
        });
    }

    /**
     * Sets a call's state unless it has ended (and unless {@code extra} says otherwise); false when nothing changed.
     * A campaign's call that ends hands its recipient to the campaign scheduler in the same transaction, so no
     * recipient is left waiting on a call that is over, whatever happens next.
     */
    static boolean setCall(Connection c, String id, String status, String resource, boolean ended, long t, String extra) throws SQLException {
        return setCall(c, id, status, resource, ended, t, extra, null);
    }

    /** As above, with one parameter for {@code extra}. */
    static boolean setCall(Connection c, String id, String status, String resource, boolean ended, long t, String extra, String param) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE calls SET status = ?, resource = ?, ended = ?, updated_at = ? WHERE id = ? AND ended = 0" + extra)) {
            ps.setString(1, status);
            ps.setString(2, resource);
            ps.setInt(3, ended ? 1 : 0);
            ps.setLong(4, t);
            ps.setString(5, id);
            if (param != null) ps.setString(6, param);
            if (ps.executeUpdate() != 1) return false;
        }
        if (ended) {
            try (PreparedStatement ps = c.prepareStatement("UPDATE recipients SET status = 'settling', updated_at = ? WHERE call_id = ? AND status = 'calling'")) {
                ps.setLong(1, t);
                ps.setString(2, id);
                ps.executeUpdate();
            }
        }
        return true;
    }

    /**
     * Appends events to a call's outbox (or, with {@code apiKeyId} given, to any other stream of events keyed like
     * one: a campaign's events use the campaign's id).
     */
    static void appendEvents(Connection c, String callId, String apiKeyId, List<NewEvent> events, long t) throws SQLException {
        if (events.isEmpty()) return;
        int seq;
        String key = apiKeyId;
        String sql = key != null ? "SELECT NULL, COALESCE(MAX(seq), 0) FROM call_events WHERE call_id = ?"
                : "SELECT api_key_id, (SELECT COALESCE(MAX(seq), 0) FROM call_events WHERE call_id = ?) FROM calls WHERE id = ?";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, callId);
            if (key == null) ps.setString(2, callId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) throw new SQLException("no call " + callId, "02000");
                if (key == null) key = rs.getString(1);
                seq = rs.getInt(2);
            }
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO call_events (call_id, seq, type, payload, url, api_key_id, created_at, attempts,"
                + " next_attempt_at, delivered_at, abandoned, last_error, pending) VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?, ?, 0, NULL, ?)")) {
            for (NewEvent e : events) {
                ps.setString(1, callId);
                ps.setInt(2, ++seq);
                ps.setString(3, e.type());
                ps.setString(4, e.payload());
                ps.setString(5, e.url());
                ps.setString(6, key);
                ps.setLong(7, t);
                ps.setLong(8, t);
                if (e.url() == null) ps.setLong(9, t); // nothing to deliver: kept as delivered, for GET .../events
                else ps.setNull(9, Types.BIGINT);
                ps.setInt(10, e.url() == null ? 0 : 1);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    @Override
    public List<StoredEvent> events(String callId) {
        return read("reading events", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + EVENT_COLUMNS + " FROM call_events WHERE call_id = ? ORDER BY seq")) {
                ps.setString(1, callId);
                return events(ps);
            }
        });
    }

    // ---- the outbox ----

    @Override
    public List<StoredEvent> dueEvents(Instant now, int max, Collection<String> busyCalls) {
        Set<String> busy = new HashSet<>(busyCalls);
        return read("reading due events", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + prefixed() + " FROM call_events e WHERE " + HEAD
                    + " AND e.next_attempt_at <= ? ORDER BY e.next_attempt_at, e.created_at LIMIT ?")) {
                ps.setLong(1, now.toEpochMilli());
                ps.setInt(2, max + busy.size()); // busy calls are passed over here, so read enough to still fill max
                List<StoredEvent> out = new ArrayList<>(max);
                for (StoredEvent e : events(ps)) {
                    if (out.size() == max) break;
                    if (!busy.contains(e.callId())) out.add(e);
                }
                return out;
            }
        });
    }

    @Override
    public void delivered(String callId, int seq, Instant at, int attempts) {
        event("recording a delivery", "UPDATE call_events SET delivered_at = ?, attempts = ?, pending = 0 WHERE call_id = ? AND seq = ?",
                at.toEpochMilli(), attempts, callId, seq);
    }

    @Override
    public void retryLater(String callId, int seq, int attempts, Instant nextAttemptAt, String error) {
        event("scheduling a retry", "UPDATE call_events SET attempts = ?, next_attempt_at = ?, last_error = ? WHERE call_id = ? AND seq = ?",
                attempts, nextAttemptAt.toEpochMilli(), error, callId, seq);
    }

    @Override
    public void abandon(String callId, int seq, int attempts, String error) {
        event("abandoning an event", "UPDATE call_events SET attempts = ?, abandoned = 1, pending = 0, last_error = ? WHERE call_id = ? AND seq = ?",
                attempts, error, callId, seq);
    }

    private void event(String operation, String sql, Object... args) {
        write(operation, c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                for (int i = 0; i < args.length; i++) ps.setObject(i + 1, args[i]);
                return ps.executeUpdate();
            }
        });
    }

    @Override
    public long pendingEvents() {
        return read("counting pending events", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM call_events WHERE pending = 1"); ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    /** The soonest attempt among the calls' head events (an event behind its call's head cannot go before it). */
    @Override
    public Instant nextDue() {
        return read("reading the next due event", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT MIN(e.next_attempt_at) FROM call_events e WHERE " + HEAD);
                 ResultSet rs = ps.executeQuery()) {
                rs.next();
                long v = rs.getLong(1);
                return rs.wasNull() ? null : Instant.ofEpochMilli(v);
            }
        });
    }

    // ---- mapping ----

    private static String prefixed() {
        StringBuilder b = new StringBuilder();
        for (String col : EVENT_COLUMNS.split(", ")) b.append(b.isEmpty() ? "" : ", ").append("e.").append(col);
        return b.toString();
    }

    private static List<StoredCall> calls(PreparedStatement ps) throws SQLException {
        List<StoredCall> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(new StoredCall(rs.getString(1), rs.getLong(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6),
                        Instant.ofEpochMilli(rs.getLong(7)), instant(rs, 8), instant(rs, 9), rs.getString(10), rs.getString(11),
                        instant(rs, 12), rs.getInt(13) != 0));
            }
        }
        return out;
    }

    private static List<StoredEvent> events(PreparedStatement ps) throws SQLException {
        List<StoredEvent> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(new StoredEvent(rs.getString(1), rs.getInt(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6),
                        Instant.ofEpochMilli(rs.getLong(7)), rs.getInt(8), Instant.ofEpochMilli(rs.getLong(9)), instant(rs, 10),
                        rs.getInt(11) != 0, rs.getString(12)));
            }
        }
        return out;
    }

    static Instant instant(ResultSet rs, int column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : Instant.ofEpochMilli(v);
    }

    static void setInstant(PreparedStatement ps, int i, Instant v) throws SQLException {
        if (v == null) ps.setNull(i, Types.BIGINT);
        else ps.setLong(i, v.toEpochMilli());
    }

    @Override
    public void close() {
        db.close();
    }
}
