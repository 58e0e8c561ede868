package io.trunkline.bench.load;


import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.concurrent.locks.LockSupport;

/**
 * The end-to-end SIP load generator behind {@code ./trunkline load}: places full calls against any UAS at a paced
 * rate (each INVITE at t0 + i/rate, so there are no bursts) and measures what a carrier engineer asks about:
 * achieved CPS, failures by cause, retransmissions, setup latency percentiles and CPU per call.
 */
public final class LoadHarness {
    private final LoadDialer dialer;

    public LoadHarness(LoadDialer dialer) {
        this.dialer = dialer;
    }

    /** Runs the spec; {@code progress} gets a one-line status about once a second (may be null). */
    public LoadReport run(LoadSpec spec, Consumer<String> progress) throws InterruptedException {
        int n = spec.calls();
        long[] setupMicros = new long[n];
        long[] inviteMicros = new long[n];
        Arrays.fill(setupMicros, -1);
        Arrays.fill(inviteMicros, -1);
        Map<String, Integer> failures = new ConcurrentHashMap<>();
        AtomicInteger completed = new AtomicInteger();
        AtomicInteger live = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(n);
        Semaphore inFlight = spec.concurrency() > 0 ? new Semaphore(spec.concurrency()) : null;
        long retransBefore = dialer.retransmissions();
        long cpuBefore = processCpuNanos();
        long intervalNanos = (long) (1e9 / spec.rate());
        long start = System.nanoTime();
        long nextReport = start + 1_000_000_000L;
        int started = 0;
        for (int i = 0; i < n; i++) {
            long due = start + i * intervalNanos;
            long now;
            while ((now = System.nanoTime()) < due) {
                LockSupport.parkNanos(Math.min(due - now, 200_000));
            }
            if (inFlight != null) inFlight.acquire();
            final int index = i;
            live.incrementAndGet();
            dialer.dial(i, spec.fromUser(), spec.callee(i), spec.holdMs(), new LoadDialer.Observer() {
                @Override public void invited(long micros) { inviteMicros[index] = micros; }

                @Override public void answered(long micros) { setupMicros[index] = micros; }

                @Override
                public void ended(String failure) {
                    if (failure == null) completed.incrementAndGet();
                    else failures.merge(failure, 1, Integer::sum);
                    live.decrementAndGet();
                    if (inFlight != null) inFlight.release();
                    done.countDown();
                }
            });
            started++;
            if (progress != null && now >= nextReport) {
                progress.accept(String.format("%6.1fs started %d/%d completed %d failed %d live %d",
                        (now - start) / 1e9, started, n, completed.get(), failures.values().stream().mapToInt(Integer::intValue).sum(), live.get()));
                nextReport += 1_000_000_000L;
            }
        }
        long sendEnd = System.nanoTime();
        boolean finished = done.await(spec.holdMs() + spec.timeoutMs(), TimeUnit.MILLISECONDS);
        long end = System.nanoTime();
        if (!finished) failures.merge("unfinished", (int) done.getCount(), Integer::sum);
        long cpu = processCpuNanos() - cpuBefore;
        long retransmissions = dialer.retransmissions() - retransBefore;
        long[] lat = Arrays.stream(setupMicros).filter(v -> v >= 0).sorted().toArray();
        long[] inv = Arrays.stream(inviteMicros).filter(v -> v >= 0).sorted().toArray();
        double sendSeconds = Math.max((sendEnd - start) / 1e9, 1e-9);
        // the wire rate: INVITEs started over the window from the first to the last, per second
        double achieved = n > 1 ? (n - 1) / sendSeconds : n / sendSeconds;
        int[] left = dialer.leftovers();
        return new LoadReport(dialer.path(), n, started, completed.get(), new TreeMap<>(failures), spec.rate(), achieved,
                (end - start) / 1e9, retransmissions,
                percentile(lat, 0.50), percentile(lat, 0.99), lat.length == 0 ? 0 : lat[lat.length - 1],
                percentile(inv, 0.50), percentile(inv, 0.99), inv.length == 0 ? 0 : inv[inv.length - 1],
                cpu / 1_000_000, n == 0 ? 0 : cpu / 1000.0 / n,
                left[0], left[1], left[2], left[3]);
    }

    static long percentile(long[] sorted, double p) {
        if (sorted.length == 0) return 0;
        int idx = (int) Math.ceil(p * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, idx))];
    }

    private static long processCpuNanos() {
        var os = ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getProcessCpuTime() : 0;
    }
}
