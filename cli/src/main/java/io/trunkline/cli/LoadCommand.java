package io.trunkline.cli;

import io.trunkline.sip.message.HeaderSafety;
import io.trunkline.bench.load.EngineDialer;
import io.trunkline.bench.load.LoadDialer;
import io.trunkline.bench.load.LoadHarness;
import io.trunkline.bench.load.LoadReport;
import io.trunkline.bench.load.LoadSpec;
import io.trunkline.bench.load.StackDialer;
import io.trunkline.engine.Engine;
import io.trunkline.engine.EngineConfig;
import io.trunkline.engine.TrunkConfig;
import io.trunkline.engine.config.EngineConfigLoader;
import io.trunkline.sip.transport.TransportConfig;
import io.trunkline.sip.transport.TransportType;
import io.trunkline.sip.ua.SipTarget;
import io.trunkline.sip.ua.SipUserAgent;
import io.trunkline.sip.ua.UserAgentConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * Places N full calls at a paced rate and reports rate, failures, latency and CPU. By default the calls go through
 * the Engine (queue, limits, dispatcher); {@code --path stack} dials the bare SIP user agent, and {@code --path both}
 * runs the stack first and then the engine in the same process, so the engine's overhead is a same-run ratio.
 */
@Command(name = "load", mixinStandardHelpOptions = true, description = "SIP load generator: full calls at a paced rate.")
final class LoadCommand implements Callable<Integer> {
    @Option(names = "--trunk", paramLabel = "sip:HOST:PORT", description = "the UAS to load (or the first trunk of --config)")
    String trunk;

    @Option(names = "--config", paramLabel = "FILE", description = "engine configuration (YAML): trunks, limits, listen address")
    Path config;

    @Option(names = "--path", defaultValue = "engine", description = "engine, stack or both (default ${DEFAULT-VALUE})")
    String path;

    @Option(names = "--cps", defaultValue = "0", description = "with --trunk: the trunk's CPS limit on the engine path; 0 = twice --rate, so the limiter runs without binding (default ${DEFAULT-VALUE})")
    int cps;

    @Option(names = "--transport", defaultValue = "udp", description = "udp or tcp (default ${DEFAULT-VALUE})")
    String transport;

    @Option(names = "--rate", required = true, paramLabel = "CPS", description = "calls started per second (0 < CPS <= 50000)")
    double rate;

    @Option(names = "--calls", required = true, paramLabel = "N", description = "calls to place (1..10000000)")
    int calls;

    @Option(names = "--hold-ms", defaultValue = "0", description = "hold each answered call this long before BYE (default ${DEFAULT-VALUE})")
    long holdMs;

    @Option(names = "--concurrency", defaultValue = "0", description = "most calls in flight; 0 = unbounded (default ${DEFAULT-VALUE})")
    int concurrency;

    @Option(names = "--from", defaultValue = "15550100000", description = "caller ID, E.164 digits (default ${DEFAULT-VALUE})")
    String from;

    @Option(names = "--to-prefix", defaultValue = "15552", description = "callee numbers are this prefix + 6 digits (default ${DEFAULT-VALUE})")
    String toPrefix;

    @Option(names = "--to", paramLabel = "USER", description = "call this one user every time instead (e.g. uas for baresip; stack path)")
    String to;

    @Option(names = "--local", defaultValue = "127.0.0.1:0", paramLabel = "HOST:PORT")
    String local;

    @Option(names = "--threads", defaultValue = "2", description = "I/O threads, 1..64 (default ${DEFAULT-VALUE})")
    int threads;

    @Option(names = "--drain-seconds", defaultValue = "0", description = "after the run, wait up to this long for lingering transactions to reach zero")
    int drainSeconds;

    @Option(names = "--warmup-calls", defaultValue = "0", description = "calls placed at the same rate before the measured run, to warm up the JIT on both ends (not reported)")
    int warmupCalls;

    @Option(names = "--media", description = "engine path: RTP both ways on every call (G.711 μ-law, 20 ms) for --hold-ms; reports late sends, drops and peak concurrent calls")
    boolean media;

    @Option(names = "--media-ports", paramLabel = "MIN-MAX", defaultValue = "20000-29999", description = "RTP port range with --media (default ${DEFAULT-VALUE})")
    String mediaPorts;

    @Option(names = "--media-threads", paramLabel = "IO,CLOCK", defaultValue = "2,2", description = "media I/O loops and clock shards (default ${DEFAULT-VALUE})")
    String mediaThreads;

    @Option(names = "--json", description = "print the report(s) as JSON, one object per line")
    boolean json;

    @Override
    public Integer call() throws Exception {
        if (!Set.of("engine", "stack", "both").contains(path)) throw new IllegalArgumentException("--path must be engine, stack or both, got '" + path + "'");
        if (drainSeconds < 0 || drainSeconds > 120) throw new IllegalArgumentException("--drain-seconds must be 0..120, got " + drainSeconds);
        if (warmupCalls < 0 || warmupCalls > 1_000_000) throw new IllegalArgumentException("--warmup-calls must be 0..1000000, got " + warmupCalls);
        if (cps < 0 || cps > 10_000) throw new IllegalArgumentException("--cps must be 0..10000, got " + cps);
        if (trunk == null && config == null) throw new IllegalArgumentException("--trunk or --config is required");
        if (to != null && !path.equals("stack") && !to.matches("[0-9]{6,15}")) {
            throw new IllegalArgumentException("--to must be E.164 digits on the engine path (use --path stack for a SIP user such as uas), got '" + HeaderSafety.printable(to) + "'");
        }
        EngineConfig engineConfig = config != null ? EngineConfigLoader.load(config, System.getenv(), io.trunkline.service.config.ServiceConfigLoader.SECTIONS) : null;
        SipTarget target = trunk != null ? SipTarget.parse(trunk, TransportType.parse(transport)) : engineConfig.trunks().get(0).target();
        LoadSpec spec = new LoadSpec(target, rate, calls, holdMs, concurrency, from, to != null ? to : toPrefix, to != null, 40_000);
        HostPort bind = HostPort.parse("--local", local);
        TransportConfig listen = new TransportConfig(bind.host(), bind.port(), -1, threads, 8 << 20);

        List<LoadReport> reports = new ArrayList<>();
        if (!path.equals("engine")) {
            try (SipUserAgent ua = SipUserAgent.start(UserAgentConfig.of(listen))) {
                reports.add(run(new StackDialer(ua, target), spec));
            }
        }
        if (!path.equals("stack")) {
            if (engineConfig == null) {
                int limit = cps > 0 ? cps : (int) Math.min(10_000, Math.ceil(rate * 2));
                engineConfig = new EngineConfig(listen, List.of(TrunkConfig.of("load", target, limit, 100_000)), 0, 0,
                        Math.max(10_000, calls), 3, null);
            }
            if (media) {
                int[] range = PortRange.parse("--media-ports", mediaPorts);
                String[] th = mediaThreads.split(",");
                if (th.length != 2) throw new IllegalArgumentException("--media-threads must be IO,CLOCK, e.g. 2,2, got '" + mediaThreads + "'");
                engineConfig = engineConfig.withMedia(io.trunkline.media.MediaConfig.defaults(bind.host(), range[0], range[1])
                        .withThreads(Integer.parseInt(th[0].trim()), Integer.parseInt(th[1].trim())));
            } else {
                engineConfig = engineConfig.withMedia(null); // signalling only unless --media, even with a config's media section
            }
            try (Engine engine = Engine.start(engineConfig); EngineDialer dialer = new EngineDialer(engine)) {
                MediaSampler sampler = engine.media() == null ? null : new MediaSampler(engine.media());
                reports.add(run(dialer, spec));
                if (sampler != null) sampler.report(json);
            }
        }
        if (reports.size() == 2 && !json) {
            LoadReport s = reports.get(0), e = reports.get(1);
            System.out.printf("engine vs stack (same run): setup p99 %.2fx, cpu/call %.2fx%n",
                    e.p99Micros() / (double) Math.max(1, s.p99Micros()), e.cpuMicrosPerCall() / Math.max(1e-9, s.cpuMicrosPerCall()));
        }
        return reports.stream().allMatch(r -> r.failures() == 0) ? 0 : 1;
    }

    private LoadReport run(LoadDialer dialer, LoadSpec spec) throws InterruptedException {
        if (warmupCalls > 0) {
            LoadReport w = new LoadHarness(dialer).run(new LoadSpec(spec.trunk(), rate, warmupCalls, holdMs, concurrency, from,
                    spec.to(), spec.fixedCallee(), 40_000), null);
            if (!json) System.out.printf("[%s] warm-up: %d calls, %d failed%n", dialer.path(), w.callsRequested(), w.failures());
        }
        LoadReport r = new LoadHarness(dialer).run(spec, json ? null : line -> { System.out.println("[" + dialer.path() + "] " + line); System.out.flush(); });
        long deadline = System.nanoTime() + drainSeconds * 1_000_000_000L;
        int[] left = dialer.leftovers();
        while (System.nanoTime() < deadline && left[0] + left[1] + left[2] + left[3] > 0) {
            Thread.sleep(100);
            left = dialer.leftovers();
        }
        if (json) {
            Map<String, Object> m = Json.MAPPER.convertValue(r, new com.fasterxml.jackson.core.type.TypeReference<>() {});
            m.put("transactionsAfterDrain", left[2]);
            System.out.println(Json.write(m));
        } else {
            String p = "[" + r.path() + "] ";
            System.out.printf("%scalls %d started %d completed %d failed %d %s%n", p, r.callsRequested(), r.callsStarted(), r.completed(), r.failures(), r.failuresByCause());
            System.out.printf("%srate offered %.1f/s achieved %.1f/s over %.2fs; retransmissions %d%n", p, r.offeredCps(), r.achievedCps(), r.wallSeconds(), r.retransmissions());
            System.out.printf("%ssetup latency p50 %.3f ms p99 %.3f ms max %.3f ms%n", p, r.p50Micros() / 1000.0, r.p99Micros() / 1000.0, r.maxMicros() / 1000.0);
            if (r.path().equals("engine")) {
                System.out.printf("%sdial() to INVITE p50 %.3f ms p99 %.3f ms max %.3f ms%n", p, r.dialToInviteP50Micros() / 1000.0,
                        r.dialToInviteP99Micros() / 1000.0, r.dialToInviteMaxMicros() / 1000.0);
            }
            System.out.printf("%scpu %d ms (%.1f us per call, this process)%n", p, r.cpuMillis(), r.cpuMicrosPerCall());
            System.out.printf("%sleft over: calls %d dialogs %d transactions %d queued %d%n", p, left[0], left[1], left[2], left[3]);
        }
        return r;
    }

    /**
     * Watches the media engine during a run: the peak of concurrent sessions, and at the end the counters that say
     * whether real time held: packets sent more than 5 ms late, the send-error p99, and every kind of drop. A bare
     * timer thread runs beside it as the same-run baseline: it only parks until each 20 ms deadline and notes how
     * late it woke, so its late fraction is what the machine's scheduler alone costs any 20 ms thread.
     */
    private static final class MediaSampler {
        private final io.trunkline.media.MediaEngine media;
        private final io.trunkline.media.MediaCounters before;
        private final Thread thread;
        private final Thread bareTimer;
        private final io.trunkline.media.pipeline.SendTimeHistogram bareLateness =
                new io.trunkline.media.pipeline.SendTimeHistogram();
        private volatile int peak;
        private volatile boolean running = true;

        MediaSampler(io.trunkline.media.MediaEngine media) {
            this.media = media;
            this.before = media.counters();
            this.bareTimer = new Thread(() -> {
                long start = System.nanoTime();
                for (long n = 1; running; n++) {
                    long deadline = start + n * io.trunkline.media.pipeline.MediaClock.PERIOD_NANOS;
                    long wait;
                    while (running && (wait = deadline - System.nanoTime()) > 0) java.util.concurrent.locks.LockSupport.parkNanos(wait);
                    bareLateness.record(System.nanoTime() - deadline);
                }
            }, "load-bare-timer");
            bareTimer.setDaemon(true);
            bareTimer.setPriority(Thread.MAX_PRIORITY); // as the media clock's shards
            bareTimer.start();
            this.thread = new Thread(() -> {
                while (running) {
                    peak = Math.max(peak, media.openSessions());
                    try {
                        Thread.sleep(100);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "load-media-sampler");
            thread.setDaemon(true);
            thread.start();
        }

        void report(boolean json) {
            running = false;
            io.trunkline.media.MediaCounters c = media.counters();
            long sent = c.packetsSent() - before.packetsSent();
            long late = c.lateSends() - before.lateSends();
            Map<String, Object> m = new java.util.LinkedHashMap<>();
            m.put("peakConcurrentCalls", peak);
            m.put("rtpSent", sent);
            m.put("rtpReceived", c.packetsReceived() - before.packetsReceived());
            m.put("lateOver5ms", late);
            m.put("latePercent", sent == 0 ? 0.0 : 100.0 * late / sent);
            m.put("sendErrorP99Micros", c.sendErrorP99Micros());
            m.put("tickLateP99Micros", c.tickLateP99Micros());
            long bareTicks = bareLateness.count();
            m.put("bareTimerLatePercent", bareTicks == 0 ? 0.0 : 100.0 * bareLateness.lateOver5ms() / bareTicks);
            m.put("bareTimerP99Micros", bareLateness.quantileMicros(0.99));
            m.put("droppedRingFull", c.droppedRingFull() - before.droppedRingFull());
            m.put("droppedConsumerFull", c.droppedConsumerFull() - before.droppedConsumerFull());
            m.put("droppedMalformed", c.droppedMalformed() - before.droppedMalformed());
            m.put("droppedUnlatched", c.droppedUnlatched() - before.droppedUnlatched());
            m.put("inactivityTimeouts", c.inactivityTimeouts() - before.inactivityTimeouts());
            if (json) {
                System.out.println(Json.write(Map.of("media", m)));
            } else {
                System.out.printf("[media] peak concurrent calls %d; RTP sent %d received %d; sent >5 ms late %d (%.3f%%), send error p99 %d us (the clock's own tick lateness p99 %d us)%n",
                        peak, sent, m.get("rtpReceived"), late, (double) m.get("latePercent"), c.sendErrorP99Micros(), c.tickLateP99Micros());
                System.out.printf("[media] baseline, a bare 20 ms timer thread in this process: %d wake-ups, >5 ms late %.3f%%, p99 %d us%n",
                        bareTicks, (double) m.get("bareTimerLatePercent"), m.get("bareTimerP99Micros"));
                System.out.printf("[media] drops: ring full %s, slow consumer %s, malformed %s, unlatched %s; inactivity timeouts %s%n",
                        m.get("droppedRingFull"), m.get("droppedConsumerFull"), m.get("droppedMalformed"), m.get("droppedUnlatched"), m.get("inactivityTimeouts"));
            }
        }
    }
}
