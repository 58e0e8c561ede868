package io.trunkline.cli;

import io.trunkline.bench.load.LoadHarness;
import io.trunkline.bench.load.LoadReport;
import io.trunkline.bench.load.LoadSpec;
import io.trunkline.sip.transport.TransportConfig;
import io.trunkline.sip.transport.TransportType;
import io.trunkline.sip.ua.SipTarget;
import io.trunkline.sip.ua.SipUserAgent;
import io.trunkline.sip.ua.UserAgentConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;

/** Places N full calls at a paced rate against any SIP UAS and reports rate, failures, latency and CPU. */
@Command(name = "load", mixinStandardHelpOptions = true, description = "SIP load generator: full calls at a paced rate.")
final class LoadCommand implements Callable<Integer> {
    @Option(names = "--trunk", required = true, paramLabel = "sip:HOST:PORT")
    String trunk;

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

    @Option(names = "--from", defaultValue = "15550100000", description = "caller ID (default ${DEFAULT-VALUE})")
    String from;

    @Option(names = "--to-prefix", defaultValue = "1555", description = "callee numbers are this prefix + 6 digits (default ${DEFAULT-VALUE})")
    String toPrefix;

    @Option(names = "--to", paramLabel = "USER", description = "call this one user every time instead (e.g. uas for baresip)")
    String to;

    @Option(names = "--local", defaultValue = "127.0.0.1:0", paramLabel = "HOST:PORT")
    String local;

    @Option(names = "--threads", defaultValue = "2", description = "I/O threads, 1..64 (default ${DEFAULT-VALUE})")
    int threads;

    @Option(names = "--drain-seconds", defaultValue = "0", description = "after the run, wait up to this long for lingering transactions to reach zero")
    int drainSeconds;

    @Option(names = "--warmup-calls", defaultValue = "0", description = "calls placed at the same rate before the measured run, to warm up the JIT on both ends (not reported)")
    int warmupCalls;

    @Option(names = "--json", description = "print the report as one JSON object")
    boolean json;

    @Override
    public Integer call() throws Exception {
        TransportType type = TransportType.parse(transport);
        HostPort bind = HostPort.parse("--local", local);
        if (drainSeconds < 0 || drainSeconds > 120) throw new IllegalArgumentException("--drain-seconds must be 0..120, got " + drainSeconds);
        LoadSpec spec = new LoadSpec(SipTarget.parse(trunk, type), rate, calls, holdMs, concurrency, from,
                to != null ? to : toPrefix, to != null, 40_000);
        try (SipUserAgent ua = SipUserAgent.start(UserAgentConfig.of(new TransportConfig(bind.host(), bind.port(), -1, threads, 8 << 20)))) {
            if (warmupCalls < 0 || warmupCalls > 1_000_000) throw new IllegalArgumentException("--warmup-calls must be 0..1000000, got " + warmupCalls);
            if (warmupCalls > 0) {
                LoadReport w = new LoadHarness(ua).run(new LoadSpec(spec.trunk(), rate, warmupCalls, holdMs, concurrency, from, spec.to(), spec.fixedCallee(), 40_000), null);
                if (!json) System.out.printf("warm-up: %d calls, %d failed%n", w.callsRequested(), w.failures());
            }
            LoadReport r = new LoadHarness(ua).run(spec, json ? null : line -> { System.out.println(line); System.out.flush(); });
            long deadline = System.nanoTime() + drainSeconds * 1_000_000_000L;
            while (System.nanoTime() < deadline && ua.activeTransactions() + ua.activeCalls() + ua.activeDialogs() > 0) Thread.sleep(100);
            int tx = ua.activeTransactions();
            if (json) {
                java.util.Map<String, Object> m = Json.MAPPER.convertValue(r, new com.fasterxml.jackson.core.type.TypeReference<>() {});
                m.put("transactionsAfterDrain", tx);
                System.out.println(Json.write(m));
            } else {
                System.out.printf("calls %d started %d completed %d failed %d %s%n", r.callsRequested(), r.callsStarted(), r.completed(), r.failures(), r.failuresByCause());
                System.out.printf("rate offered %.1f/s achieved %.1f/s over %.2fs; retransmissions %d%n", r.offeredCps(), r.achievedCps(), r.wallSeconds(), r.retransmissions());
                System.out.printf("setup latency p50 %.3f ms p99 %.3f ms max %.3f ms%n", r.p50Micros() / 1000.0, r.p99Micros() / 1000.0, r.maxMicros() / 1000.0);
                System.out.printf("cpu %d ms (%.1f us per call, this process)%n", r.cpuMillis(), r.cpuMicrosPerCall());
                System.out.printf("left over: calls %d dialogs %d transactions %d%n", r.leftoverCalls(), r.leftoverDialogs(), tx);
            }
            return r.failures() == 0 ? 0 : 1;
        }
    }
}
