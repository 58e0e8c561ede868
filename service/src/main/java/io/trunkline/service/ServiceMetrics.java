package io.trunkline.service;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.trunkline.engine.Engine;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToDoubleFunction;

/**
 * The Prometheus metrics at {@code /metrics}: calls by final status, call starts per trunk (whose rate is the CPS),
 * the queue depth and concurrency, AMD verdicts, SIP retransmissions and the media path's late and dropped packets.
 * Webhook delivery meters are registered by the deliverer on the same registry.
 */
public final class ServiceMetrics implements io.trunkline.service.dial.CallDispatcher.Outcomes {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Map<String, Counter> ended = new ConcurrentHashMap<>();
    private final Map<String, Counter> amd = new ConcurrentHashMap<>();

    public PrometheusMeterRegistry registry() { return registry; }

    void bind(Engine engine, io.trunkline.service.store.WaitingCalls waiting) {
        Gauge.builder("trunkline.calls.waiting", waiting, io.trunkline.service.store.WaitingCalls::get).description("accepted calls not yet dialled (in the store)").register(registry);
        Gauge.builder("trunkline.engine.queued", engine, Engine::queued).description("calls in the engine's dial-edge queue").register(registry);
        Gauge.builder("trunkline.calls.live", engine, Engine::live).description("calls dialling, ringing or in progress").register(registry);
        for (String trunk : engine.trunkNames()) {
            Gauge.builder("trunkline.trunk.cps.limit", engine, e -> e.trunkRate(trunk)).tag("trunk", trunk)
                    .description("the trunk's current CPS (halved while the carrier answers 503)").register(registry);
            FunctionCounter.builder("trunkline.trunk.backpressure", engine, e -> e.trunkBackPressureEvents(trunk)).tag("trunk", trunk).register(registry);
        }
        FunctionCounter.builder("trunkline.sip.invites.sent", engine, e -> e.userAgent().invitesSent()).register(registry);
        FunctionCounter.builder("trunkline.sip.retransmissions", engine, e -> e.userAgent().transactions().retransmissions()).register(registry);
        Gauge.builder("trunkline.sip.transactions", engine, e -> e.userAgent().activeTransactions()).register(registry);
        // memory as the operator sees it: the heap and buffer pools (jvm_memory_*, jvm_buffer_*), Netty's direct
        // memory, and the resident set the kernel charges the process for (what the launcher's bounds cap)
        new io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics().bindTo(registry);
        new io.micrometer.core.instrument.binder.jvm.JvmGcMetrics().bindTo(registry);
        Gauge.builder("trunkline.netty.direct.used", () -> io.netty.util.internal.PlatformDependent.usedDirectMemory())
                .baseUnit("bytes").description("direct memory Netty's pooled buffers hold (-1 when it does not count)").register(registry);
        Gauge.builder("trunkline.process.resident", ServiceMetrics::residentBytes).baseUnit("bytes")
                .description("the process's resident set (VmRSS)").register(registry);
        if (engine.media() != null) {
            media("trunkline.rtp.late", engine, e -> e.media().counters().lateSends());
            media("trunkline.rtp.dropped.malformed", engine, e -> e.media().counters().droppedMalformed());
            media("trunkline.rtp.dropped.unlatched", engine, e -> e.media().counters().droppedUnlatched());
            media("trunkline.rtp.dropped.ring_full", engine, e -> e.media().counters().droppedRingFull());
            media("trunkline.rtp.sent", engine, e -> e.media().counters().packetsSent());
            media("trunkline.rtp.received", engine, e -> e.media().counters().packetsReceived());
        }
    }

    /** VmRSS from /proc/self/status, in bytes; -1 where there is no /proc. */
    static double residentBytes() {
        try (var lines = java.nio.file.Files.lines(java.nio.file.Path.of("/proc/self/status"))) {
            return lines.filter(l -> l.startsWith("VmRSS:")).findFirst()
                    .map(l -> Long.parseLong(l.replaceAll("[^0-9]", "")) * 1024.0).orElse(-1.0);
        } catch (java.io.IOException | RuntimeException e) {
            return -1;
        }
    }

    private void media(String name, Engine engine, ToDoubleFunction<Engine> f) {
        FunctionCounter.builder(name, engine, f).register(registry);
    }

    @Override
    public void ended(String status) {
        ended.computeIfAbsent(status, st -> Counter.builder("trunkline.calls.ended").tag("status", st).register(registry)).increment();
    }

    @Override
    public void amdVerdict(String verdict) {
        amd.computeIfAbsent(verdict, v -> Counter.builder("trunkline.amd.verdicts").tag("verdict", v).register(registry)).increment();
    }
}
