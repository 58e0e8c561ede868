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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Campaigns, their recipients and the do-not-call list, in the call store's database. The scheduler's two
 * transactions are here: {@link #claim} turns due recipients into queued calls (and the call rows are inserted in
 * the same transaction, so a recipient is never "calling" without a call, nor a call made twice for one attempt),
 * and {@link #settle} decides, for each recipient whose call has ended, what comes next.
 *
 * <p>On PostgreSQL several nodes run both at once: a claim locks its campaign's row ({@code FOR UPDATE SKIP LOCKED}:
 * another node passes the campaign by for that round), so the campaign's concurrency is counted and filled by one
 * node at a time and holds across all of them.
 */
public final class JdbcCampaignStore {
    private static final String CAMPAIGN_COLUMNS = "id, seq, api_key_id, name, status, settings, created_at, started_at, paused_at, completed_at";
    private static final String RECIPIENT_COLUMNS = "campaign_id, line, phone, zones, variables, status, attempts, next_at, outcome, call_id, calls";
    private static final int IN_CHUNK = 500;

    private final Database db;
    private final JdbcCallStore calls;

    JdbcCampaignStore(Database db, JdbcCallStore calls) {
        this.db = db;
        this.calls = calls;
    }

    // ---- campaigns ----

    public void create(Campaign c) {
        db.write("creating a campaign", x -> {
            long seq;
            try (PreparedStatement ps = x.prepareStatement("UPDATE counters SET value = value + 1 WHERE name = 'campaigns' RETURNING value");
                 ResultSet rs = ps.executeQuery()) {
                rs.next();
                seq = rs.getLong(1);
            }
            try (PreparedStatement ps = x.prepareStatement("INSERT INTO campaigns (" + CAMPAIGN_COLUMNS + ", updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                ps.setString(1, c.id());
                ps.setLong(2, seq);
                ps.setString(3, c.apiKeyId());
                ps.setString(4, c.name());
                ps.setString(5, c.status());
                ps.setString(6, c.settings());
                ps.setLong(7, c.createdAt().toEpochMilli());
                setInstant(ps, 8, c.startedAt());
                setInstant(ps, 9, c.pausedAt());
                setInstant(ps, 10, c.completedAt());
                ps.setLong(11, c.createdAt().toEpochMilli());
                ps.executeUpdate();
            }
            return null;
        });
    }

    public Optional<Campaign> get(String id) {
        return db.read("reading a campaign", x -> {
            try (PreparedStatement ps = x.prepareStatement("SELECT " + CAMPAIGN_COLUMNS + " FROM campaigns WHERE id = ?")) {
                ps.setString(1, id);
                List<Campaign> r = campaigns(ps);
                return r.isEmpty() ? Optional.empty() : Optional.of(r.get(0));
            }
        });
    }

    /** A key's campaigns (all when {@code apiKeyId} is null), newest first, before {@code beforeSeq} when it is > 0. */
    public List<Campaign> list(String apiKeyId, String status, long beforeSeq, int limit) {
        StringBuilder sql = new StringBuilder("SELECT " + CAMPAIGN_COLUMNS + " FROM campaigns WHERE 1 = 1");
        List<Object> args = new ArrayList<>();
        if (apiKeyId != null) { sql.append(" AND api_key_id = ?"); args.add(apiKeyId); }
        if (status != null) { sql.append(" AND status = ?"); args.add(status); }
        if (beforeSeq > 0) { sql.append(" AND seq < ?"); args.add(beforeSeq); }
        sql.append(" ORDER BY seq DESC LIMIT ?");
        args.add(limit);
        return db.read("listing campaigns", x -> {
            try (PreparedStatement ps = x.prepareStatement(sql.toString())) {
                for (int i = 0; i < args.size(); i++) ps.setObject(i + 1, args.get(i));
                return campaigns(ps);
            }
        });
    }

    /**
     * The campaigns the scheduler works on: scheduled (waiting for their start), running, paused (their last calls
     * still end and settle), and those that ended since {@code endedSince} (the same).
     */
    public List<Campaign> active(Instant endedSince) {
        return db.read("reading active campaigns", x -> {
            try (PreparedStatement ps = x.prepareStatement("SELECT " + CAMPAIGN_COLUMNS + " FROM campaigns WHERE status IN ('scheduled', 'running', 'paused')"
                    + " OR completed_at >= ? ORDER BY seq")) {
                ps.setLong(1, endedSince.toEpochMilli());
                return campaigns(ps);
            }
        });
    }

    /**
     * Moves a campaign from one of {@code from} to {@code to}, with its event, atomically; false (and nothing
     * written) when it was in none of them, so of several nodes or requests racing, one wins and one event goes out.
     */
    public boolean transition(String id, Set<String> from, String to, Instant at, NewEvent event) {
        long t = at.toEpochMilli();
        String column = switch (to) {
            case Campaign.RUNNING -> "started_at";
            case Campaign.PAUSED -> "paused_at";
            case Campaign.COMPLETED, Campaign.CANCELLED -> "completed_at";
            default -> null;
        };
        String in = String.join(", ", from.stream().map(s -> "?").toList());
        return db.write("changing a campaign's status", x -> {
            String apiKey;
            try (PreparedStatement ps = x.prepareStatement("SELECT api_key_id FROM campaigns WHERE id = ?")) {
                ps.setString(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) return false;
                    apiKey = rs.getString(1);
                }
            }
            // started_at keeps the first start; a resume does not move it
            String set = column == null ? "" : column.equals("started_at") ? ", started_at = COALESCE(started_at, ?)" : ", " + column + " = ?";
            try (PreparedStatement ps = x.prepareStatement("UPDATE campaigns SET status = ?, updated_at = ?" + set + " WHERE id = ? AND status IN (" + in + ")")) {
                int i = 1;
                ps.setString(i++, to);
                ps.setLong(i++, t);
                if (column != null) ps.setLong(i++, t);
                ps.setString(i++, id);
                for (String f : from) ps.setString(i++, f);
                if (ps.executeUpdate() != 1) return false;
            }
            if (event != null) JdbcCallStore.appendEvents(x, id, apiKey, List.of(event), t);
            return true;
        });
    }

    // ---- recipients: import ----

    /** What one import batch did. */
    public record Imported(int inserted, int dnc, List<Long> duplicates) {}

    /**
     * Inserts recipients; a number already in the campaign is skipped and its line returned (a duplicate); a number
     * on the DNC list is inserted with status {@code dnc}, so the refusal is on record and it is never dialled.
     */
    public Imported importRecipients(String campaignId, List<NewRecipient> batch) {
        if (batch.isEmpty()) return new Imported(0, 0, List.of());
        long t = System.currentTimeMillis();
        return db.write("importing recipients", x -> {
            importLease(x, campaignId, t + IMPORT_LEASE_MS);
            Set<String> listed = listed(x, batch.stream().map(NewRecipient::phone).toList());
            int inserted = 0, dnc = 0;
            List<Long> duplicates = new ArrayList<>();
            try (PreparedStatement ps = x.prepareStatement("INSERT INTO recipients (campaign_id, line, phone, zones, variables, status, attempts, next_at,"
                    + " outcome, updated_at) VALUES (?, ?, ?, ?, ?, ?, 0, ?, ?, ?) ON CONFLICT DO NOTHING")) {
                for (NewRecipient r : batch) {
                    boolean isListed = listed.contains(r.phone());
                    ps.setString(1, campaignId);
                    ps.setLong(2, r.line());
                    ps.setString(3, r.phone());
                    ps.setString(4, r.zones());
                    ps.setString(5, r.variables());
                    ps.setString(6, isListed ? Recipient.DNC : Recipient.PENDING);
                    setInstant(ps, 7, isListed ? null : r.nextAt());
                    ps.setString(8, isListed ? "on the do-not-call list at import" : null);
                    ps.setLong(9, t);
                    ps.addBatch();
                }
                int[] counts = ps.executeBatch();
                for (int i = 0; i < counts.length; i++) {
                    if (counts[i] == 0) duplicates.add(batch.get(i).line());
                    else if (listed.contains(batch.get(i).phone())) dnc++;
                    else inserted++;
                }
            }
            return new Imported(inserted, dnc, duplicates);
        });
    }

    /**
     * An import holds a lease on its campaign, renewed by each batch: while it runs, the campaign cannot complete
     * for want of recipients (its scheduler may have dialled every one imported so far). A crashed import's lease
     * simply runs out.
     */
    private static final long IMPORT_LEASE_MS = 60_000;

    public void importStarted(String campaignId) {
        long t = System.currentTimeMillis();
        db.write("starting an import", x -> {
            importLease(x, campaignId, t + IMPORT_LEASE_MS);
            return null;
        });
    }

    public void importEnded(String campaignId) {
        db.write("ending an import", x -> {
            importLease(x, campaignId, null);
            return null;
        });
    }

    private static void importLease(Connection x, String campaignId, Long until) throws SQLException {
        try (PreparedStatement ps = x.prepareStatement("UPDATE campaigns SET import_lease = ? WHERE id = ?")) {
            if (until == null) ps.setNull(1, Types.BIGINT);
            else ps.setLong(1, until);
            ps.setString(2, campaignId);
            ps.executeUpdate();
        }
    }

    /** The line of the recipient with this number, to name in a duplicate's error. */
    public Optional<Long> lineOf(String campaignId, String phone) {
        return db.read("finding a recipient", x -> {
            try (PreparedStatement ps = x.prepareStatement("SELECT line FROM recipients WHERE campaign_id = ? AND phone = ?")) {
                ps.setString(1, campaignId);
                ps.setString(2, phone);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(rs.getLong(1)) : Optional.empty();
                }
            }
        });
    }

    // ---- the scheduler ----

    /** What to do with one due recipient. */
    public sealed interface Plan {
        /** Dial it now: this call is inserted, queued. */
        record Dial(NewCall call) implements Plan {}

        /** Not now (its window is closed): look again at {@code at}. */
        record Later(Instant at) implements Plan {}

        /** Never (its number is on the DNC list, the campaign's end has passed): final, with why. */
        record Never(String status, String outcome) implements Plan {}
    }

    /** Decides for the scheduler; runs inside the claim's transaction, so it must not touch the store. */
    public interface Planner {
        /** How many of the campaign's recipients may start now, given how many are calling. */
        int room(int calling);

        Plan plan(Recipient r, boolean onDncList);
    }

    /** What a claim did: calls queued, and recipients looked at. */
    public record Claimed(int dialled, int looked) {}

    /**
     * One scheduling round for a campaign: due pending recipients (soonest first) are planned and the calls queued,
     * in one transaction. Returns nothing done when another node holds the campaign this round.
     */
    public Claimed claim(String campaignId, Instant now, Planner planner) {
        long t = now.toEpochMilli();
        long wall = System.currentTimeMillis();
        return db.write("claiming a campaign's recipients", x -> {
            // paused a moment ago (no new call after that), or being claimed by another node this round
            int inCall;
            try (PreparedStatement ps = x.prepareStatement("SELECT calling FROM campaigns WHERE id = ? AND status = 'running'" + db.skipLocked())) {
                ps.setString(1, campaignId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) return new Claimed(0, 0);
                    inCall = rs.getInt(1);
                }
            }
            int room = planner.room(inCall);
            if (room <= 0) return new Claimed(0, 0);
            List<Recipient> due;
            try (PreparedStatement ps = x.prepareStatement("SELECT " + RECIPIENT_COLUMNS + " FROM recipients WHERE campaign_id = ? AND status = 'pending'"
                    + " AND next_at <= ? ORDER BY next_at, line LIMIT ?" + db.skipLocked())) {
                ps.setString(1, campaignId);
                ps.setLong(2, t);
                ps.setInt(3, room);
                due = recipients(ps);
            }
            if (due.isEmpty()) return new Claimed(0, 0);
            Set<String> listed = listed(x, due.stream().map(Recipient::phone).toList());
            List<NewCall> dial = new ArrayList<>();
            try (PreparedStatement calling = x.prepareStatement("UPDATE recipients SET status = 'calling', attempts = attempts + 1, next_at = NULL,"
                    + " call_id = ?, calls = CASE WHEN calls IS NULL THEN ? ELSE calls || ',' || ? END, updated_at = ? WHERE campaign_id = ? AND line = ?");
                 PreparedStatement later = x.prepareStatement("UPDATE recipients SET next_at = ?, updated_at = ? WHERE campaign_id = ? AND line = ?");
                 PreparedStatement never = x.prepareStatement("UPDATE recipients SET status = ?, outcome = ?, next_at = NULL, updated_at = ? WHERE campaign_id = ? AND line = ?")) {
                for (Recipient r : due) {
                    Plan p = planner.plan(r, listed.contains(r.phone()));
                    switch (p) {
                        case Plan.Dial d -> {
                            dial.add(d.call());
                            calling.setString(1, d.call().id());
                            calling.setString(2, d.call().id());
                            calling.setString(3, d.call().id());
                            calling.setLong(4, wall);
                            calling.setString(5, campaignId);
                            calling.setLong(6, r.line());
                            calling.addBatch();
                        }
                        case Plan.Later l -> {
                            later.setLong(1, l.at().toEpochMilli());
                            later.setLong(2, wall);
                            later.setString(3, campaignId);
                            later.setLong(4, r.line());
                            later.addBatch();
                        }
                        case Plan.Never n -> {
                            never.setString(1, n.status());
                            never.setString(2, n.outcome());
                            never.setLong(3, wall);
                            never.setString(4, campaignId);
                            never.setLong(5, r.line());
                            never.addBatch();
                        }
                    }
                }
                calls.insert(x, dial);
                calling.executeBatch();
                later.executeBatch();
                never.executeBatch();
            }
            addCalling(x, campaignId, dial.size());
            return new Claimed(dial.size(), due.size());
        });
    }

    /**
     * Recipients whose call is queued, ringing or in progress, or has just ended and awaits its settlement: a count
     * the claim and the settlement keep in the campaign's row (in their own transactions), since counting them in
     * every round would cost as much as the concurrency.
     */
    public int calling(String campaignId) {
        return db.read("counting a campaign's calls", x -> {
            try (PreparedStatement ps = x.prepareStatement("SELECT calling FROM campaigns WHERE id = ?")) {
                ps.setString(1, campaignId);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? rs.getInt(1) : 0;
                }
            }
        });
    }

    private static void addCalling(Connection x, String campaignId, int delta) throws SQLException {
        if (delta == 0) return;
        try (PreparedStatement ps = x.prepareStatement("UPDATE campaigns SET calling = calling + ? WHERE id = ?")) {
            ps.setInt(1, delta);
            ps.setString(2, campaignId);
            ps.executeUpdate();
        }
    }

    /** A recipient whose call has ended, with that call's final status and resource. */
    public record Ended(Recipient recipient, String callStatus, String callResource) {}

    /**
     * The decision for one ended call: the recipient's new status ({@code pending} with {@code nextAt} for a retry),
     * whether the attempt counts, and the outcome row for the campaign's figures (null when the call does not count,
     * e.g. it was given back undialled because the campaign was paused).
     */
    public record Settlement(String status, Instant nextAt, String outcome, boolean refundAttempt, Outcome counted) {}

    /** One call's figures: its outcome, and whether a person answered and whether that call was abandoned. */
    public record Outcome(String outcome, boolean human, boolean abandoned, Instant endedAt) {}

    public interface Settler {
        Settlement settle(Ended ended);
    }

    /** Settles up to {@code max} of the campaign's recipients whose calls have ended; returns how many. */
    public int settle(String campaignId, int max, Settler settler) {
        long wall = System.currentTimeMillis();
        return db.write("settling a campaign's ended calls", x -> {
            List<Ended> ended = new ArrayList<>();
            try (PreparedStatement ps = x.prepareStatement("SELECT r.campaign_id, r.line, r.phone, r.zones, r.variables, r.status, r.attempts, r.next_at,"
                    + " r.outcome, r.call_id, r.calls, c.status, c.resource FROM recipients r CROSS JOIN calls c"
                    // the (few) settling recipients through the status index, then each call by its key: no order asked,
                    // since ordering by line would walk every recipient of the campaign; CROSS JOIN keeps SQLite's join
                    // order so; PostgreSQL plans it as the inner join it is
                    + " WHERE c.id = r.call_id AND r.campaign_id = ? AND r.status = 'settling' LIMIT ?" + (db.postgres ? " FOR UPDATE OF r SKIP LOCKED" : ""))) {
                ps.setString(1, campaignId);
                ps.setInt(2, max);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) ended.add(new Ended(recipient(rs), rs.getString(12), rs.getString(13)));
                }
            }
            if (ended.isEmpty()) return 0;
            try (PreparedStatement up = x.prepareStatement("UPDATE recipients SET status = ?, next_at = ?, outcome = ?, attempts = attempts - ?, updated_at = ?"
                    + " WHERE campaign_id = ? AND line = ? AND status = 'settling'");
                 PreparedStatement out = x.prepareStatement("INSERT INTO campaign_outcomes (call_id, campaign_id, ended_at, outcome, human, abandoned)"
                         + " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
                for (Ended e : ended) {
                    Settlement s = settler.settle(e);
                    up.setString(1, s.status());
                    setInstant(up, 2, s.nextAt());
                    up.setString(3, s.outcome());
                    up.setInt(4, s.refundAttempt() ? 1 : 0);
                    up.setLong(5, wall);
                    up.setString(6, campaignId);
                    up.setLong(7, e.recipient().line());
                    up.addBatch();
                    if (s.counted() != null) {
                        out.setString(1, e.recipient().callId());
                        out.setString(2, campaignId);
                        out.setLong(3, s.counted().endedAt().toEpochMilli());
                        out.setString(4, s.counted().outcome());
                        out.setInt(5, s.counted().human() ? 1 : 0);
                        out.setInt(6, s.counted().abandoned() ? 1 : 0);
                        out.addBatch();
                    }
                }
                int left = 0;
                for (int n : up.executeBatch()) left += n;
                out.executeBatch();
                addCalling(x, campaignId, -left);
            }
            return ended.size();
        });
    }

    /**
     * Whether any recipient may still be called (pending, calling or settling), or an import is still adding some:
     * a campaign with neither is done.
     */
    public boolean hasOpenWork(String campaignId) {
        long t = System.currentTimeMillis();
        return db.read("checking a campaign for open work", x -> {
            try (PreparedStatement ps = x.prepareStatement("SELECT 1 FROM campaigns WHERE id = ? AND import_lease > ?")) {
                ps.setString(1, campaignId);
                ps.setLong(2, t);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) return true;
                }
            }
            try (PreparedStatement ps = x.prepareStatement("SELECT 1 FROM recipients WHERE campaign_id = ? AND status IN ('pending', 'calling', 'settling') LIMIT 1")) {
                ps.setString(1, campaignId);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next();
                }
            }
        });
    }

    /** Ends every pending recipient of a campaign (cancelled, or its end date passed) with {@code outcome}. */
    public int endPending(String campaignId, String outcome) {
        long t = System.currentTimeMillis();
        return db.write("ending a campaign's pending recipients", x -> {
            try (PreparedStatement ps = x.prepareStatement("UPDATE recipients SET status = 'cancelled', outcome = ?, next_at = NULL, updated_at = ?"
                    + " WHERE campaign_id = ? AND status = 'pending'")) {
                ps.setString(1, outcome);
                ps.setLong(2, t);
                ps.setString(3, campaignId);
                return ps.executeUpdate();
            }
        });
    }

    /** The campaign's calls still waiting in the store (not dispatched to any node), to end when it is paused. */
    public List<String> waitingCalls(String campaignId) {
        return db.read("reading a campaign's waiting calls", x -> {
            try (PreparedStatement ps = x.prepareStatement("SELECT id FROM calls WHERE campaign_id = ? AND ended = 0 AND dispatched_at IS NULL")) {
                ps.setString(1, campaignId);
                List<String> ids = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) ids.add(rs.getString(1));
                }
                return ids;
            }
        });
    }

    // ---- progress ----

    /** The raw figures of a campaign's progress. */
    public record Counts(Map<String, Long> byStatus, long attempts, Map<String, Long> outcomes, long startedLastMinute,
                         long humans30d, long abandoned30d) {}

    public Counts counts(String campaignId, Instant now) {
        return db.read("reading a campaign's progress", x -> {
            Map<String, Long> byStatus = new LinkedHashMap<>();
            long attempts = 0;
            try (PreparedStatement ps = x.prepareStatement("SELECT status, COUNT(*), SUM(attempts) FROM recipients WHERE campaign_id = ? GROUP BY status")) {
                ps.setString(1, campaignId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        byStatus.merge(rs.getString(1), rs.getLong(2), Long::sum);
                        attempts += rs.getLong(3);
                    }
                }
            }
            Map<String, Long> outcomes = new LinkedHashMap<>();
            try (PreparedStatement ps = x.prepareStatement("SELECT outcome, COUNT(*) FROM campaign_outcomes WHERE campaign_id = ? GROUP BY outcome")) {
                ps.setString(1, campaignId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) outcomes.put(rs.getString(1), rs.getLong(2));
                }
            }
            long started;
            try (PreparedStatement ps = x.prepareStatement("SELECT COUNT(*) FROM calls WHERE campaign_id = ? AND created_at >= ?")) {
                ps.setString(1, campaignId);
                ps.setLong(2, now.toEpochMilli() - 60_000);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    started = rs.getLong(1);
                }
            }
            long[] ab = abandonment(x, campaignId, now);
            return new Counts(byStatus, attempts, outcomes, started, ab[0], ab[1]);
        });
    }

    /** Calls answered by a person, and of those the abandoned, over the 30 days before {@code now}. */
    public long[] abandonment(String campaignId, Instant now) {
        return db.read("reading a campaign's abandonment", x -> abandonment(x, campaignId, now));
    }

    private static long[] abandonment(Connection x, String campaignId, Instant now) throws SQLException {
        try (PreparedStatement ps = x.prepareStatement("SELECT COALESCE(SUM(human), 0), COALESCE(SUM(abandoned), 0) FROM campaign_outcomes"
                + " WHERE campaign_id = ? AND ended_at >= ?")) {
            ps.setString(1, campaignId);
            ps.setLong(2, now.toEpochMilli() - 30L * 86_400_000L);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new long[] {rs.getLong(1), rs.getLong(2)};
            }
        }
    }

    /** A page of recipients in line order, after {@code afterLine}. */
    public List<Recipient> recipients(String campaignId, String status, long afterLine, int limit) {
        return db.read("listing recipients", x -> {
            String sql = "SELECT " + RECIPIENT_COLUMNS + " FROM recipients WHERE campaign_id = ? AND line > ?"
                    + (status == null ? "" : " AND status = ?") + " ORDER BY line LIMIT ?";
            try (PreparedStatement ps = x.prepareStatement(sql)) {
                int i = 1;
                ps.setString(i++, campaignId);
                ps.setLong(i++, afterLine);
                if (status != null) ps.setString(i++, status);
                ps.setInt(i, limit);
                return recipients(ps);
            }
        });
    }

    // ---- do-not-call ----

    /** Adds numbers (E.164) to the DNC list; returns how many were new. */
    public int dncAdd(Collection<String> phones, String source) {
        if (phones.isEmpty()) return 0;
        long t = System.currentTimeMillis();
        return db.write("adding to the do-not-call list", x -> {
            int added = 0;
            try (PreparedStatement ps = x.prepareStatement("INSERT INTO dnc (phone, source, added_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING")) {
                for (String p : phones) {
                    ps.setString(1, p);
                    ps.setString(2, source);
                    ps.setLong(3, t);
                    ps.addBatch();
                }
                for (int n : ps.executeBatch()) if (n > 0) added++;
            }
            return added;
        });
    }

    public boolean dncRemove(String phone) {
        return db.write("removing from the do-not-call list", x -> {
            try (PreparedStatement ps = x.prepareStatement("DELETE FROM dnc WHERE phone = ?")) {
                ps.setString(1, phone);
                return ps.executeUpdate() == 1;
            }
        });
    }

    public boolean dncListed(String phone) {
        return db.read("checking the do-not-call list", x -> listed(x, List.of(phone)).contains(phone));
    }

    private static Set<String> listed(Connection x, List<String> phones) throws SQLException {
        Set<String> out = new HashSet<>();
        for (int from = 0; from < phones.size(); from += IN_CHUNK) {
            List<String> chunk = phones.subList(from, Math.min(phones.size(), from + IN_CHUNK));
            String in = String.join(", ", chunk.stream().map(p -> "?").toList());
            try (PreparedStatement ps = x.prepareStatement("SELECT phone FROM dnc WHERE phone IN (" + in + ")")) {
                for (int i = 0; i < chunk.size(); i++) ps.setString(i + 1, chunk.get(i));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) out.add(rs.getString(1));
                }
            }
        }
        return out;
    }

    // ---- mapping ----

    private static List<Campaign> campaigns(PreparedStatement ps) throws SQLException {
        List<Campaign> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(new Campaign(rs.getString(1), rs.getLong(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6),
                        Instant.ofEpochMilli(rs.getLong(7)), instant(rs, 8), instant(rs, 9), instant(rs, 10)));
            }
        }
        return out;
    }

    private static List<Recipient> recipients(PreparedStatement ps) throws SQLException {
        List<Recipient> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) out.add(recipient(rs));
        }
        return out;
    }

    private static Recipient recipient(ResultSet rs) throws SQLException {
        return new Recipient(rs.getString(1), rs.getLong(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6),
                rs.getInt(7), instant(rs, 8), rs.getString(9), rs.getString(10), rs.getString(11));
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        return JdbcCallStore.instant(rs, column);
    }

    private static void setInstant(PreparedStatement ps, int i, Instant v) throws SQLException {
        JdbcCallStore.setInstant(ps, i, v);
    }
}
