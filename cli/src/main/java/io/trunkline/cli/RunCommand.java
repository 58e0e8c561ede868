package io.trunkline.cli;

import io.trunkline.engine.Call;
import io.trunkline.engine.CallRecord;
import io.trunkline.engine.CallRequest;
import io.trunkline.engine.Engine;
import io.trunkline.engine.EngineConfig;
import io.trunkline.engine.TrunkConfig;
import io.trunkline.sip.transport.TransportConfig;
import io.trunkline.sip.transport.TransportType;
import io.trunkline.sip.ua.SipTarget;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** Dials a list of numbers through the Engine (CPS pacing, concurrency, queue), with live progress and CDRs. */
@Command(name = "run", mixinStandardHelpOptions = true, description = "Dial a list of numbers through the engine's dial edge.")
final class RunCommand implements Callable<Integer> {
    @Option(names = "--trunk", paramLabel = "sip:HOST:PORT", description = "one trunk given on the command line (or use --config)")
    String trunk;

    @Option(names = "--config", paramLabel = "FILE", description = "engine configuration (see conf/trunkline.yaml): listen address, trunks, limits, STIR/SHAKEN keys")
    Path config;

    @Option(names = "--transport", defaultValue = "udp", description = "udp or tcp (default ${DEFAULT-VALUE})")
    String transport;

    @Option(names = "--numbers", required = true, paramLabel = "FILE", description = "one number per line, or a CSV with a 'phone' column")
    Path numbers;

    @Option(names = "--from", defaultValue = "+15550100000", description = "caller ID, E.164 (default ${DEFAULT-VALUE})")
    String from;

    @Option(names = "--cps", defaultValue = "1", description = "calls per second on the trunk, 1..10000 (default ${DEFAULT-VALUE})")
    int cps;

    @Option(names = "--concurrency", defaultValue = "10", description = "most live calls, 1..100000 (default ${DEFAULT-VALUE})")
    int concurrency;

    @Option(names = "--hangup-after", defaultValue = "5", description = "seconds we hold each answered call, 0..86400 (default ${DEFAULT-VALUE})")
    int hangupAfter;

    @Option(names = "--ring-timeout", defaultValue = "60", description = "seconds to ring before no-answer, 1..600 (default ${DEFAULT-VALUE})")
    int ringTimeout;

    @Option(names = "--local", defaultValue = "127.0.0.1:0", paramLabel = "HOST:PORT", description = "local SIP address, the one the trunk reaches us at (default ${DEFAULT-VALUE})")
    String local;

    @Option(names = "--cdr", paramLabel = "FILE.jsonl", description = "where to write one JSON CDR per call (default: a new file in the current folder)")
    Path cdr;

    @Option(names = "--grace", defaultValue = "5", paramLabel = "SECONDS", description = "on SIGINT or SIGTERM, how long answered calls may go on"
            + " before they are hung up, 0..3600; calls not answered yet are cancelled at once, and a second signal ends them all"
            + " now (default ${DEFAULT-VALUE})")
    int grace;

    @Override
    public Integer call() throws Exception {
        if (hangupAfter < 0 || hangupAfter > 86_400) throw new IllegalArgumentException("--hangup-after must be 0..86400, got " + hangupAfter);
        if (grace < 0 || grace > 3600) throw new IllegalArgumentException("--grace must be 0..3600 seconds, got " + grace);
        List<String> list = readNumbers(numbers);
        List<CallRequest> requests = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            try {
                requests.add(CallRequest.of(from, list.get(i)).withRingTimeout(ringTimeout));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(numbers + " line " + (i + 1) + ": " + e.getMessage());
            }
        }
        Path out = cdr != null ? cdr : Path.of("cdr-" + System.currentTimeMillis() + ".jsonl");
        EngineConfig engineConfig = engineConfig(requests.size());
        Map<String, Integer> outcomes = new ConcurrentHashMap<>();
        CountDownLatch done = new CountDownLatch(requests.size());
        StopSignals signals;
        try (Engine engine = Engine.start(engineConfig);
             BufferedWriter writer = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
            // a stop by signal: every call the engine took ends (cancelled, or hung up after the grace) and gets its CDR
            signals = StopSignals.install(() -> {
                try {
                    engine.stop(Duration.ofSeconds(grace));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, engine::hurry);
            int handed = 0;
            for (CallRequest r : requests) {
                Call call;
                try {
                    call = engine.dial(r);
                } catch (RuntimeException e) { // a call handed over during the stop ends "engine is stopping", with its CDR;
                    if (!signals.stopping()) throw e; // once the engine has closed, the rest are never started and have none
                    break;
                }
                handed++;
                call.answered().thenAcceptAsync(Call::hangup, CompletableFuture.delayedExecutor(hangupAfter, TimeUnit.SECONDS));
                call.ended().thenAccept(rec -> {
                    outcomes.merge(rec.reason().wireName(), 1, Integer::sum);
                    synchronized (writer) {
                        try {
                            writer.write(Json.write(cdrJson(rec)));
                            writer.newLine();
                        } catch (IOException e) {
                            System.err.println("cannot write CDR: " + e.getMessage());
                        }
                    }
                    done.countDown();
                });
            }
            for (int i = handed; i < requests.size(); i++) done.countDown();
            while (!done.await(500, TimeUnit.MILLISECONDS)) progress(requests.size(), done.getCount(), engine, outcomes);
            progress(requests.size(), 0, engine, outcomes);
            System.err.println();
        } // the writer is flushed and closed here, after the last CDR: a line is never cut
        System.out.println("CDRs written to " + out.toAbsolutePath());
        return signals.exitCode(0);
    }

    private EngineConfig engineConfig(int calls) throws io.trunkline.engine.config.ConfigException {
        if ((config == null) == (trunk == null)) throw new IllegalArgumentException("give exactly one of --config FILE or --trunk sip:HOST:PORT");
        if (config != null) {
            EngineConfig c = io.trunkline.engine.config.EngineConfigLoader.load(config, System.getenv(), io.trunkline.service.config.ServiceConfigLoader.SECTIONS);
            // the whole list must fit in the queue: run is a batch, not a service (every other setting is kept)
            return c.withQueueCapacity(Math.max(c.queueCapacity(), calls)).withMaxQueueWait(0); // the list waits its turn
        }
        TrunkConfig t = TrunkConfig.of("trunk", SipTarget.parse(trunk, TransportType.parse(transport)), cps, concurrency);
        HostPort bind = HostPort.parse("--local", local);
        return new EngineConfig(new TransportConfig(bind.host(), bind.port(), -1, 2, 4 << 20), List.of(t), 0, 0, Math.max(1, calls), 3, null).withMaxQueueWait(0);
    }

    private static void progress(int total, long remaining, Engine engine, Map<String, Integer> outcomes) {
        int finished = (int) (total - remaining);
        int width = 30;
        int filled = total == 0 ? width : finished * width / total;
        String bar = "#".repeat(filled) + ".".repeat(width - filled);
        String line = String.format("[%s] %d/%d done, %d in progress, %d queued  %s", bar, finished, total, engine.live(), engine.queued(),
                new TreeMap<>(outcomes));
        // progress goes to stderr and results to stdout, so `run ... > file` keeps only the results
        if (System.console() != null) System.err.print("\r" + line);
        else System.err.println(line);
        System.err.flush();
    }

    /** The CDR as JSON with the dialer-API spelling of the end reason ("no-answer"). */
    static Map<String, Object> cdrJson(CallRecord rec) {
        Map<String, Object> m = Json.MAPPER.convertValue(rec, new com.fasterxml.jackson.core.type.TypeReference<>() {});
        m.put("reason", rec.reason().wireName());
        return m;
    }

    /**
     * The numbers of a list: one per line, or the {@code phone} column of a CSV with a header row (read as CSV, so a
     * quoted field holding a comma is one field). Blank lines and lines starting with # are skipped.
     */
    static List<String> readNumbers(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        String header = lines.stream().map(String::trim).filter(l -> !l.isEmpty() && !l.startsWith("#")).findFirst().orElse("");
        List<String> out = new ArrayList<>();
        if (header.toLowerCase(java.util.Locale.ROOT).contains("phone") && header.contains(",")) {
            var csv = new com.fasterxml.jackson.dataformat.csv.CsvMapper();
            var schema = com.fasterxml.jackson.dataformat.csv.CsvSchema.emptySchema().withHeader().withComments();
            try (com.fasterxml.jackson.databind.MappingIterator<Map<String, String>> rows = csv.readerForMapOf(String.class).with(schema).readValues(file.toFile())) {
                String column = null;
                int row = 1;
                while (rows.hasNextValue()) {
                    Map<String, String> r = rows.nextValue();
                    row++;
                    if (column == null) {
                        column = r.keySet().stream().filter(k -> k.trim().equalsIgnoreCase("phone")).findFirst()
                                .orElseThrow(() -> new IllegalArgumentException(file + ": CSV header has no 'phone' column"));
                    }
                    String phone = r.get(column);
                    if (phone == null || phone.isBlank()) throw new IllegalArgumentException(file + " row " + row + ": no phone");
                    out.add(phone.trim());
                }
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalArgumentException(file + ": not a valid CSV: " + e.getOriginalMessage());
            }
        } else {
            for (String line : lines) {
                String l = line.trim();
                if (!l.isEmpty() && !l.startsWith("#")) out.add(l);
            }
        }
        if (out.isEmpty()) throw new IllegalArgumentException(file + ": no numbers");
        return out;
    }
}
