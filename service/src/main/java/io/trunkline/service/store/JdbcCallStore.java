package io.trunkline.service.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.flywaydb.core.Flyway;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

import javax.sql.DataSource;
import java.nio.file.Files;
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
 * The call store over JDBC: SQLite (the embedded default) or PostgreSQL, one schema (Flyway, {@code db/migration}),
 * the same SQL but for {@code FOR UPDATE SKIP LOCKED} where several processes may claim from one database.
 *
 * <p>SQLite takes one writer at a time, so every write goes through one connection with group commit
 * ({@link SqliteGroupWriter}), and reads use a small pool of their own (WAL mode lets them run beside the writer). WAL with {@code synchronous=NORMAL} keeps every
 * committed transaction across a kill of the process; only a power loss may take the last ones. PostgreSQL uses a
 * HikariCP pool for both.
 */
public final class JdbcCallStore implements CallStore {
    private static final String CALL_COLUMNS = "id, seq, status, from_number, to_number, api_key_id, created_at, not_before, not_after, request, resource, dispatched_at, ended";
    private static final String EVENT_COLUMNS = "call_id, seq, type, payload, url, api_key_id, created_at, attempts, next_attempt_at, delivered_at, abandoned, last_error";
    /** The head (lowest pending sequence) of each call's outbox. */
    private static final String HEAD = "e.pending = 1 AND e.seq = (SELECT MIN(x.seq) FROM call_events x WHERE x.call_id = e.call_id AND x.pending = 1)";

    private final boolean postgres;
    private final HikariDataSource pool;
    private final SqliteGroupWriter writer; // SQLite only: the one write connection, with group commit

    private JdbcCallStore(boolean postgres, HikariDataSource pool, SqliteGroupWriter writer) {
        this.postgres = postgres;
        this.pool = pool;
        this.writer = writer;
    }

    public static JdbcCallStore open(StoreSettings s) {
        try {
            if (s.isPostgres()) {
                HikariConfig c = new HikariConfig();
                c.setJdbcUrl(s.jdbcUrl());
                c.setUsername(s.user());
                c.setPassword(s.password());
                c.setMaximumPoolSize(s.poolSize());
                c.setAutoCommit(false);
                c.setPoolName("trunkline-store");
                HikariDataSource pool = new HikariDataSource(c);
                migrate(pool, s);
                return new JdbcCallStore(true, pool, null);
            }
            Files.createDirectories(s.sqlite().toAbsolutePath().getParent());
            SQLiteConfig config = new SQLiteConfig();
            config.setJournalMode(SQLiteConfig.JournalMode.WAL);
            config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
            config.setBusyTimeout(10_000);
            SQLiteDataSource sqlite = new SQLiteDataSource(config);
            sqlite.setUrl("jdbc:sqlite:" + s.sqlite().toAbsolutePath());
            migrate(sqlite, s);
            HikariConfig c = new HikariConfig();
            c.setDataSource(sqlite);
            c.setMaximumPoolSize(4);
            c.setAutoCommit(false);
            c.setPoolName("trunkline-store-read");
            HikariDataSource readers = new HikariDataSource(c);
            Connection writer = sqlite.getConnection(); // autocommit: the writer opens each transaction itself
            return new JdbcCallStore(false, readers, new SqliteGroupWriter(writer));
        } catch (SQLException e) {
            throw new StoreException("opening the store (" + s + ")", e);
        } catch (java.io.IOException e) {
            throw new StoreException("opening the store (" + s + "): cannot create " + s.sqlite().getParent());
        } catch (RuntimeException e) {
            if (e instanceof StoreException) throw e;
            // Hikari and Flyway wrap connection failures; their messages name the URL, never the password
            throw new StoreException("opening the store (" + s + ") failed: " + e.getMessage());
        }
    }

    private static void migrate(DataSource ds, StoreSettings s) {
        var flyway = Flyway.configure().dataSource(ds).locations("classpath:db/migration");
        if (s.isPostgres()) {
            String schema = schemaOf(s.jdbcUrl());
            if (schema != null) flyway = flyway.schemas(schema).createSchemas(true);
        }
        flyway.load().migrate();
    }

    private static String schemaOf(String url) {
        int q = url.indexOf("currentSchema=");
        if (q < 0) return null;
        String rest = url.substring(q + "currentSchema=".length());
        int amp = rest.indexOf('&');
        return amp < 0 ? rest : rest.substring(0, amp);
    }

    // ---- transactions ----

    @FunctionalInterface
    private interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    private <T> T write(String operation, Work<T> work) {
        if (postgres) {
            try (Connection c = pool.getConnection()) {
                try {
                    T r = work.run(c);
                    c.commit();
                    return r;
                } catch (SQLException | RuntimeException e) {
                    c.rollback();
                    throw e;
                }
            } catch (SQLException e) {
                throw new StoreException(operation, e);
            }
        }
        return writer.write(operation, work::run);
    }

    private <T> T read(String operation, Work<T> work) {
        try (Connection c = pool.getConnection()) {
            try {
                return work.run(c);
            } finally {
                c.rollback(); // ends the read transaction, so a pooled connection holds no snapshot
            }
        } catch (SQLException e) {
            throw new StoreException(operation, e);
        }
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

    private static void insert(Connection c, List<NewCall> calls) throws SQLException {
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
                + " not_before, not_after, request, resource, dispatched_at, ended, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?)")) {
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
    public List<StoredCall> claimDue(Instant now, int max) {
        long t = now.toEpochMilli();
        return write("claiming due calls", c -> {
            List<StoredCall> due;
            try (PreparedStatement ps = c.prepareStatement("SELECT " + CALL_COLUMNS + " FROM calls WHERE ended = 0 AND dispatched_at IS NULL"
                    + " AND (not_before IS NULL OR not_before <= ?) AND (not_after IS NULL OR not_after > ?) ORDER BY seq LIMIT ?"
                    + (postgres ? " FOR UPDATE SKIP LOCKED" : ""))) {
                ps.setLong(1, t);
                ps.setLong(2, t);
                ps.setInt(3, max);
                due = calls(ps);
            }
            if (due.isEmpty()) return due;
            try (PreparedStatement ps = c.prepareStatement("UPDATE calls SET dispatched_at = ?, updated_at = ? WHERE id = ?")) {
                for (StoredCall s : due) {
                    ps.setLong(1, t);
                    ps.setLong(2, t);
                    ps.setString(3, s.id());
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
                    + " AND not_after IS NOT NULL AND not_after <= ? ORDER BY seq LIMIT ?" + (postgres ? " FOR UPDATE SKIP LOCKED" : ""))) {
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
            try (PreparedStatement ps = c.prepareStatement("SELECT " + CALL_COLUMNS + " FROM calls WHERE ended = 0 AND dispatched_at IS NOT NULL ORDER BY seq")) {
                return calls(ps);
            }
        });
    }

    @Override
    public boolean update(String id, String status, String resource, boolean ended, List<NewEvent> events) {
        long t = System.currentTimeMillis();
        return write("journalling a call", c -> {
            if (!setCall(c, id, status, resource, ended, t, "")) return false;
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
            try (PreparedStatement ps = c.prepareStatement("UPDATE calls SET dispatched_at = NULL, status = ?, resource = ?, updated_at = ? WHERE id = ? AND ended = 0")) {
                ps.setString(1, status);
                ps.setString(2, resource);
                ps.setLong(3, t);
                ps.setString(4, id);
                return ps.executeUpdate() == 1;
            }
        });
    }

    /** Sets a call's state unless it has ended (and unless {@code extra} says otherwise); false when nothing changed. */
    private static boolean setCall(Connection c, String id, String status, String resource, boolean ended, long t, String extra) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE calls SET status = ?, resource = ?, ended = ?, updated_at = ? WHERE id = ? AND ended = 0" + extra)) {
            ps.setString(1, status);
            ps.setString(2, resource);
            ps.setInt(3, ended ? 1 : 0);
            ps.setLong(4, t);
            ps.setString(5, id);
            return ps.executeUpdate() == 1;
        }
    }

    private static void appendEvents(Connection c, String callId, String apiKeyId, List<NewEvent> events, long t) throws SQLException {
        if (events.isEmpty()) return;
        int seq;
        String key = apiKeyId;
        try (PreparedStatement ps = c.prepareStatement("SELECT api_key_id, (SELECT COALESCE(MAX(seq), 0) FROM call_events WHERE call_id = ?) FROM calls WHERE id = ?")) {
            ps.setString(1, callId);
            ps.setString(2, callId);
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

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : Instant.ofEpochMilli(v);
    }

    private static void setInstant(PreparedStatement ps, int i, Instant v) throws SQLException {
        if (v == null) ps.setNull(i, Types.BIGINT);
        else ps.setLong(i, v.toEpochMilli());
    }

    @Override
    public void close() {
        if (writer != null) writer.close();
        pool.close();
    }
}
