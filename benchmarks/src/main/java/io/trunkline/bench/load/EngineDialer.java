package io.trunkline.bench.load;

import io.trunkline.engine.Call;
import io.trunkline.engine.CallRequest;
import io.trunkline.engine.Engine;
import io.trunkline.engine.EndReason;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** The full engine path: CallRequest validation, the queue, the paced limiters, the dispatcher, then the stack. */
public final class EngineDialer implements LoadDialer {
    private final Engine engine;
    private final ScheduledExecutorService holds = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "load-hold");
        t.setDaemon(true);
        return t;
    });

    public EngineDialer(Engine engine) {
        this.engine = engine;
    }

    @Override public String path() { return "engine"; }

    @Override
    public void dial(int index, String from, String callee, long holdMs, Observer observer) {
        Call call = engine.dial(CallRequest.of("+" + from, "+" + callee));
        call.answered().thenAccept(c -> {
            observer.answered(c.setupMicros());
            if (holdMs == 0) c.hangup();
            else holds.schedule(c::hangup, holdMs, TimeUnit.MILLISECONDS);
        });
        call.ended().thenAccept(cdr -> {
            long invited = call.dialToInviteMicros();
            if (invited >= 0) observer.invited(invited);
            observer.ended(cdr.reason() == EndReason.COMPLETED ? null : cdr.reason().wireName() + " " + cdr.sipCode());
        });
    }

    @Override public long retransmissions() { return engine.userAgent().transactions().retransmissions(); }

    @Override
    public int[] leftovers() {
        var ua = engine.userAgent();
        return new int[] {Math.max(ua.activeCalls(), engine.live()), ua.activeDialogs(), ua.activeTransactions(), engine.queued()};
    }

    @Override
    public void close() {
        holds.shutdownNow();
    }
}
