package io.trunkline.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.trunkline.sip.message.HeaderSafety;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code ./trunkline campaign}: drives the campaigns API (service/CAMPAIGNS.md) of a running {@code ./trunkline serve}
 * over HTTP, as any backend would; nothing here touches the store or the engine. Flags are checked before the first
 * request, so a typo names the flag and its form instead of costing an upload.
 */
@Command(name = "campaign", mixinStandardHelpOptions = true,
        description = "Create, watch and control calling campaigns on a running ./trunkline serve (its HTTP API).",
        subcommands = {CampaignCommand.Create.class, CampaignCommand.ListCampaigns.class, CampaignCommand.Show.class,
                CampaignCommand.Pause.class, CampaignCommand.Resume.class, CampaignCommand.Cancel.class})
final class CampaignCommand implements Runnable {
    static final List<String> STATUSES = List.of("scheduled", "running", "paused", "completed", "cancelled");

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /**
     * What every subcommand does around its request: check its flags, find the server and key, and turn an API
     * refusal into {@code error: <field>: <message>} on stderr with exit 1. A usage error (IllegalArgumentException)
     * and an unreachable server (IOException) go to TrunklineCli's handler: exit 2 and 1.
     */
    abstract static class ApiCommand implements Callable<Integer> {
        @Mixin
        ApiOptions api;

        @Spec
        CommandSpec spec;

        /** Checks the subcommand's own flags; throws IllegalArgumentException naming the flag. */
        void validate() throws IOException {}

        abstract int run(CampaignApi client, PrintStream out) throws IOException, InterruptedException;

        @Override
        public final Integer call() throws Exception {
            validate();
            try (CampaignApi client = new CampaignApi(api.baseUri(), api.key())) {
                return run(client, System.out);
            } catch (CampaignApi.Error e) {
                PrintWriter err = spec.commandLine().getErr();
                err.println("error: " + describe(e));
                err.flush();
                return TrunklineCli.FAILED;
            }
        }

        static String describe(CampaignApi.Error e) {
            return (e.field == null ? "" : e.field + ": ") + CampaignReport.printable(e.getMessage())
                    + " (HTTP " + e.status + (e.error == null || e.error.equals("http") ? "" : " " + e.error) + ")";
        }
    }

    /** A campaign id as a path segment: the API's ids are letters and digits; anything else would change the path. */
    static String checkId(String id) {
        if (id == null || !id.matches("[A-Za-z0-9_-]{1,64}")) {
            throw new IllegalArgumentException("ID must be a campaign id (letters, digits, - and _, like CP4f1c...), got '"
                    + HeaderSafety.printable(String.valueOf(id)) + "'");
        }
        return id;
    }

    @Command(name = "create", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Create a campaign, its recipients streamed from a CSV (a header row with a phone column; optional timezone;"
                    + " every other column a variable for the assistant and the webhooks).",
                    "Prints the campaign id and the import counts, and the first rejected rows."})
    static final class Create extends ApiCommand {
        @Option(names = "--name", paramLabel = "NAME", description = "1..128 characters (required, here or in --settings)")
        String name;

        @Option(names = "--from", paramLabel = "NUMBER", description = "caller ID; repeat to rotate several (required, here or in --settings)")
        List<String> from;

        @Option(names = "--trunk", paramLabel = "NAME", description = "a configured trunk (default: any)")
        String trunk;

        @Option(names = "--csv", paramLabel = "FILE", description = "the recipients, streamed to the server (a million rows take no more memory than ten)")
        Path csv;

        @Option(names = "--settings", paramLabel = "FILE.json", description = "campaign settings as the API's JSON (any field, e.g. call, status_callback); the flags override it")
        Path settings;

        @Option(names = "--concurrency", paramLabel = "N", description = "simultaneous calls, 1..10000 (server default 10)")
        Integer concurrency;

        @Option(names = "--cps", paramLabel = "N", description = "calls started per second, 1 up to the trunks' CPS (server default: the trunks' CPS)")
        Integer cps;

        @Option(names = "--window", paramLabel = "\"DAYS HH:MM-HH:MM\"", description = "when to call, in each recipient's local time, e.g. \"mon-fri 09:00-20:00\", \"sat,sun 10:00-14:00\", \"daily 08:00-21:00\" (server default every day 08:00-21:00)")
        String window;

        @Option(names = "--start-at", paramLabel = "ISO", description = "no call before this instant, e.g. 2026-12-07T09:00:00Z")
        String startAt;

        @Option(names = "--end-at", paramLabel = "ISO", description = "no call after this instant; the campaign completes then")
        String endAt;

        @Option(names = "--retry", paramLabel = "OUTCOME=N/DELAY", description = "retry an outcome (busy, no-answer, voicemail, failed): N attempts in all, DELAY seconds apart (or 10m, 1h, 1d), e.g. busy=3/600; repeatable")
        List<String> retry;

        @Option(names = "--paused", description = "create it paused (campaign resume starts it)")
        boolean paused;

        @Option(names = "--show-errors", paramLabel = "N", defaultValue = "10", description = "rejected rows to print, 0..100 (default ${DEFAULT-VALUE})")
        int showErrors;

        private ObjectNode body;

        @Override
        void validate() throws IOException {
            body = settings == null ? Json.MAPPER.createObjectNode() : readSettings(settings);
            if (name != null) {
                if (name.isBlank() || name.length() > 128) throw new IllegalArgumentException("--name must be 1..128 characters, got " + name.length());
                body.put("name", name);
            }
            if (from != null) {
                var arr = body.putArray("from");
                for (String f : from) {
                    if (f.isBlank()) throw new IllegalArgumentException("--from must be a caller ID, e.g. +14155550100, got an empty value");
                    arr.add(f.trim());
                }
            }
            if (trunk != null) body.put("trunk", trunk);
            if (concurrency != null) {
                if (concurrency < 1 || concurrency > 10_000) throw new IllegalArgumentException("--concurrency must be 1..10000, got " + concurrency);
                body.put("concurrency", concurrency);
            }
            if (cps != null) {
                if (cps < 1) throw new IllegalArgumentException("--cps must be 1 or more (at most the trunks' CPS), got " + cps);
                body.put("cps", cps);
            }
            if (window != null) body.set("window", WindowFlag.parse("--window", window).toJson());
            Instant start = startAt == null ? null : instant("--start-at", startAt);
            Instant end = endAt == null ? null : instant("--end-at", endAt);
            if (start != null) body.put("start_at", start.toString());
            if (end != null) body.put("end_at", end.toString());
            if (start != null && end != null && !end.isAfter(start)) {
                throw new IllegalArgumentException("--end-at must be after --start-at, got " + start + " .. " + end);
            }
            if (retry != null) {
                // the flags add to (or replace outcome by outcome) a retry object from --settings
                ObjectNode r = body.get("retry") instanceof ObjectNode o ? o : body.putObject("retry");
                for (String v : retry) {
                    RetryFlag f = RetryFlag.parse("--retry", v);
                    r.putObject(f.outcome()).put("max_attempts", f.maxAttempts()).put("delay_s", f.delaySeconds());
                }
            }
            if (paused) body.put("paused", true);
            if (showErrors < 0 || showErrors > 100) throw new IllegalArgumentException("--show-errors must be 0..100, got " + showErrors);
            if (!body.hasNonNull("name")) throw new IllegalArgumentException("--name is required (or name in --settings)");
            if (!body.hasNonNull("from")) throw new IllegalArgumentException("--from is required (or from in --settings)");
            if (csv != null) {
                if (!Files.isRegularFile(csv) || !Files.isReadable(csv)) throw new IllegalArgumentException("--csv " + csv + ": no such readable file");
                if (body.has("recipients")) throw new IllegalArgumentException("--csv and recipients in --settings: give the recipients one way");
            }
        }

        @Override
        int run(CampaignApi client, PrintStream out) throws IOException, InterruptedException {
            JsonNode created;
            if (csv != null) {
                Multipart form = new Multipart().text("campaign", "application/json", body.toString()).file("recipients", "text/csv", csv);
                created = client.postMultipart("/v1/campaigns", form);
            } else {
                created = client.postJson("/v1/campaigns", body.toString(), Duration.ofMinutes(5));
            }
            out.println("created campaign " + created.path("id").asText() + " (" + created.path("status").asText() + ")");
            if (created.has("import")) CampaignReport.importReport(created.get("import"), showErrors).forEach(out::println);
            out.flush();
            return 0;
        }

        private static ObjectNode readSettings(Path file) throws IOException {
            if (!Files.isRegularFile(file) || !Files.isReadable(file)) throw new IllegalArgumentException("--settings " + file + ": no such readable file");
            JsonNode n;
            try {
                n = Json.MAPPER.readTree(file.toFile());
            } catch (JsonProcessingException e) {
                var at = e.getLocation();
                throw new IllegalArgumentException("--settings " + file + " is not valid JSON"
                        + (at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")") + ": " + e.getOriginalMessage());
            }
            if (!(n instanceof ObjectNode o)) throw new IllegalArgumentException("--settings " + file + " must hold a JSON object of campaign settings");
            return o;
        }

        static Instant instant(String flag, String value) {
            try {
                return Instant.parse(value.trim());
            } catch (DateTimeParseException e) {
                try {
                    return OffsetDateTime.parse(value.trim()).toInstant();
                } catch (DateTimeParseException e2) {
                    throw new IllegalArgumentException(flag + " must be an ISO-8601 instant with its offset, like 2026-12-07T09:00:00Z or 2026-12-07T09:00:00-08:00, got '"
                            + HeaderSafety.printable(value) + "'");
                }
            }
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the key's campaigns, newest first: id, name, status, done/total, rate, ETA.")
    static final class ListCampaigns extends ApiCommand {
        @Option(names = "--status", paramLabel = "STATUS", description = "only this status: scheduled, running, paused, completed or cancelled")
        String status;

        @Override
        void validate() {
            if (status != null && !STATUSES.contains(status)) {
                throw new IllegalArgumentException("--status must be one of " + String.join(", ", STATUSES) + ", got '" + HeaderSafety.printable(status) + "'");
            }
        }

        @Override
        int run(CampaignApi client, PrintStream out) throws IOException, InterruptedException {
            List<JsonNode> all = new ArrayList<>();
            String cursor = null;
            do { // every page: a list that stops at the first 200 would hide the oldest campaigns without saying so
                StringBuilder path = new StringBuilder("/v1/campaigns?limit=200");
                if (status != null) path.append("&status=").append(status);
                if (cursor != null) path.append("&cursor=").append(URLEncoder.encode(cursor, StandardCharsets.UTF_8));
                JsonNode page = client.get(path.toString());
                page.path("campaigns").forEach(all::add);
                cursor = page.path("next_cursor").isTextual() ? page.get("next_cursor").asText() : null;
            } while (cursor != null && !cursor.isEmpty());
            if (all.isEmpty()) {
                out.println(status == null ? "no campaigns" : "no " + status + " campaigns");
            } else {
                CampaignReport.table(all).forEach(out::println);
            }
            out.flush();
            return 0;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true,
            description = {"Show a campaign's progress: recipients by status, attempts, outcomes, rate, ETA, abandonment.",
                    "With --watch, a progress bar redrawn every second until the campaign is completed (exit 0) or cancelled (exit 1), or Ctrl-C."})
    static final class Show extends ApiCommand {
        /** How long --watch rides out a server that stopped answering (a restart) before giving up. */
        static final Duration RECONNECT_FOR = Duration.ofSeconds(30);

        @Parameters(paramLabel = "ID", description = "the campaign id")
        String id;

        @Option(names = "--watch", description = "redraw the progress every second until the campaign ends (plain lines when stdout is not a terminal)")
        boolean watch;

        @Override
        void validate() {
            checkId(id);
        }

        @Override
        int run(CampaignApi client, PrintStream out) throws IOException, InterruptedException {
            if (!watch) {
                CampaignReport.summary(client.get("/v1/campaigns/" + id)).forEach(out::println);
                out.flush();
                return 0;
            }
            boolean terminal = ProgressBar.stdoutIsTerminal();
            ProgressBar bar = new ProgressBar(out, terminal);
            // Ctrl-C ends the JVM; end the redrawn line first so the shell prompt does not land on the bar
            Thread hook = terminal ? new Thread(bar::end, "campaign-watch-newline") : null;
            if (hook != null) Runtime.getRuntime().addShutdownHook(hook);
            try {
                return watch(client, out, bar);
            } finally {
                if (hook != null) {
                    try {
                        Runtime.getRuntime().removeShutdownHook(hook);
                    } catch (IllegalStateException shuttingDown) {
                        // the hook is running or about to: nothing to undo
                    }
                }
            }
        }

        private int watch(CampaignApi client, PrintStream out, ProgressBar bar) throws IOException, InterruptedException {
            long lostSince = -1;
            while (true) {
                long tick = System.nanoTime();
                JsonNode c;
                try {
                    c = client.get("/v1/campaigns/" + id);
                    if (lostSince >= 0) bar.note("reconnected to " + client.base());
                    lostSince = -1;
                } catch (IOException e) {
                    if (lostSince < 0) {
                        lostSince = tick;
                        bar.note(e.getMessage() + "; retrying for " + RECONNECT_FOR.toSeconds() + " s");
                    } else if (tick - lostSince > RECONNECT_FOR.toNanos()) {
                        bar.end();
                        throw e;
                    }
                    sleepRest(tick);
                    continue;
                }
                bar.draw(c);
                String status = c.path("status").asText();
                if (status.equals("completed") || status.equals("cancelled")) {
                    bar.end();
                    CampaignReport.summary(c).forEach(out::println);
                    out.flush();
                    return status.equals("completed") ? 0 : TrunklineCli.FAILED;
                }
                sleepRest(tick);
            }
        }

        /** Sleeps to the next whole second after {@code tick}, so a slow answer does not stretch the period. */
        private static void sleepRest(long tick) throws InterruptedException {
            long rest = 1_000_000_000L - (System.nanoTime() - tick);
            if (rest > 0) Thread.sleep(rest / 1_000_000, (int) (rest % 1_000_000));
        }
    }

    /** pause, resume and cancel: a POST to /v1/campaigns/{id}/{action} answering the campaign. */
    abstract static class Control extends ApiCommand {
        @Parameters(paramLabel = "ID", description = "the campaign id")
        String id;

        abstract String action();

        abstract String note();

        @Override
        void validate() {
            checkId(id);
        }

        @Override
        int run(CampaignApi client, PrintStream out) throws IOException, InterruptedException {
            JsonNode c = client.post("/v1/campaigns/" + id + "/" + action());
            out.println("campaign " + c.path("id").asText() + " " + c.path("status").asText() + ": " + CampaignReport.finished(c) + "/"
                    + CampaignReport.total(c) + " recipients finished" + note());
            out.flush();
            return 0;
        }
    }

    @Command(name = "pause", mixinStandardHelpOptions = true, description = "Stop new dials at once; calls in progress finish.")
    static final class Pause extends Control {
        String action() { return "pause"; }
        String note() { return "; calls in progress finish"; }
    }

    @Command(name = "resume", mixinStandardHelpOptions = true, description = "Resume a paused campaign.")
    static final class Resume extends Control {
        String action() { return "resume"; }
        String note() { return ""; }
    }

    @Command(name = "cancel", mixinStandardHelpOptions = true, description = "End the campaign: recipients not yet called are cancelled; calls in progress finish.")
    static final class Cancel extends Control {
        String action() { return "cancel"; }
        String note() { return "; calls in progress finish"; }
    }
}
