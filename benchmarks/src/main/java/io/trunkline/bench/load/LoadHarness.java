package io.trunkline.bench.load;

import io.trunkline.sip.sdp.SdpOffer;
import io.trunkline.sip.transport.TransportType;
import io.trunkline.sip.ua.CallEnd;
import io.trunkline.sip.ua.CallListener;
import io.trunkline.sip.ua.CallOutcome;
import io.trunkline.sip.ua.DialRequest;
import io.trunkline.sip.ua.OutboundCall;
import io.trunkline.sip.ua.SipUserAgent;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.concurrent.locks.LockSupport;

/**
 * The end-to-end SIP load generator behind {@code ./trunkline load}: places full calls against any UAS at a paced
 * rate (each INVITE at t0 + i/rate, so there are no bursts) and measures what a carrier engineer asks about:
 * achieved CPS, failures by cause, retransmissions, setup latency percentiles and CPU per call.
 */
public final class LoadHarness {
    private final SipUserAgent ua;

    public LoadHarness(SipUserAgent ua) {
        this.ua = ua;
    }

    /** Runs the spec; {@code progress} gets a one-line status about once a second (may be null). */
    public LoadReport run(LoadSpec spec, Consumer<String> progress) throws InterruptedException {
        int n = spec.calls();
        long[] setupMicros = new long[n];
        Arrays.fill(setupMicros, -1);
        Map<String, Integer> failures = new ConcurrentHashMap<>();
        AtomicInteger completed = new AtomicInteger();
        LongAdder retransmissions = new LongAdder();
        CountDownLatch done = new CountDownLatch(n);
        Semaphore inFlight = spec.concurrency() > 0 ? new Semaphore(spec.concurrency()) : null;
        String sdp = SdpOffer.audio(ua.localAddress(TransportType.UDP).getAddress().getHostAddress(), 40_002);
        long retransBefore = ua.transactions().retransmissions();
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
            DialRequest request = new DialRequest(spec.trunk(), spec.fromUser(), spec.callee(i), sdp);
            ua.dial(request, new CallListener() {
                @Override
                public void onAnswered(OutboundCall call, String answerSdp) {
                    setupMicros[index] = (call.answeredNanos() - call.inviteSentNanos()) / 1000;
                    if (spec.holdMs() == 0) call.hangup();
                    else ua.transactions().schedule(call.owner(), spec.holdMs(), call::hangup);
                }

                @Override
                public void onEnded(OutboundCall call, CallEnd end) {
                    if (end.outcome() == CallOutcome.COMPLETED) completed.incrementAndGet();
                    else failures.merge(end.outcome().wireName() + " " + end.sipCode(), 1, Integer::sum);
                    if (inFlight != null) inFlight.release();
                    done.countDown();
                }
            });
            started++;
            if (progress != null && now >= nextReport) {
                progress.accept(String.format("%6.1fs started %d/%d completed %d failed %d live %d",
                        (now - start) / 1e9, started, n, completed.get(), failures.values().stream().mapToInt(Integer::intValue).sum(), ua.activeCalls()));
                nextReport += 1_000_000_000L;
            }
        }
        long sendEnd = System.nanoTime();
        boolean finished = done.await(spec.holdMs() + spec.timeoutMs(), TimeUnit.MILLISECONDS);
        long end = System.nanoTime();
        if (!finished) failures.merge("unfinished", (int) done.getCount(), Integer::sum);
        long cpu = processCpuNanos() - cpuBefore;
        retransmissions.add(ua.transactions().retransmissions() - retransBefore);
        long[] lat = Arrays.stream(setupMicros).filter(v -> v >= 0).sorted().toArray();
        double sendSeconds = Math.max((sendEnd - start) / 1e9, 1e-9);
        // the wire rate: INVITEs started over the window from the first to the last, per second
        double achieved = n > 1 ? (n - 1) / sendSeconds : n / sendSeconds;
        return new LoadReport(n, started, completed.get(), new TreeMap<>(failures), spec.rate(), achieved,
                (end - start) / 1e9, retransmissions.sum(),
                percentile(lat, 0.50), percentile(lat, 0.99), lat.length == 0 ? 0 : lat[lat.length - 1],
                cpu / 1_000_000, n == 0 ? 0 : cpu / 1000.0 / n,
                ua.activeCalls(), ua.activeDialogs(), ua.activeTransactions());
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
