package io.trunkline.engine;

import io.trunkline.sip.ua.OutboundCall;

import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The handle {@link Engine#dial} returns at once. State, futures and the listener follow the call through queueing,
 * dial-edge retries and failover. {@link #hangup()} and {@link #cancel()} work in every state.
 */
public final class Call {
    private static final AtomicLong IDS = new AtomicLong();

    private final String id = "CA" + Long.toHexString(System.currentTimeMillis()) + "-" + IDS.incrementAndGet();
    final CallRequest request;
    final long seq;
    private final Engine engine;
    private final CallListener listener;
    private final Executor events;
    private final CompletableFuture<Call> answered = new CompletableFuture<>();
    private final CompletableFuture<CallRecord> ended = new CompletableFuture<>();
    volatile CallState state = CallState.QUEUED;
    volatile OutboundCall sip;
    volatile OutboundCall firstSip; // the first attempt: where dial-to-INVITE latency is measured
    final long dialNanos = System.nanoTime();
    volatile TrunkState trunk;
    final Set<String> triedTrunks = new HashSet<>();
    /** Trunks whose destination rules refuse this callee; filled by dial() before the call is queued. */
    final Set<String> barredTrunks = new HashSet<>();
    /** The callee's country for the policy's per-country cap, or null when the callee is not a number. */
    String destinationCountry;
    int attempts;
    volatile io.trunkline.engine.media.CallMedia media;
    volatile io.trunkline.amd.AmdResult amd;
    volatile io.trunkline.amd.beep.Beep beep;
    volatile boolean retryLater;
    volatile String mediaEndReason; // why media ended the call (dead air, the assistant), for the CDR
    volatile EndReason forcedReason; // set by our own timers (time-limit, no-answer) before they end the call
    volatile boolean cancelRequested;
    /** System.nanoTime() after which the call may not start (ORed with 1 so 0 means none). */
    volatile long deadlineNanos;
    volatile long queueDeadlineNanos; // limits.max_queue_wait_s after dial(): not started by then, it is refused
    final Instant queuedAt = Instant.now();
    volatile Instant inviteSentAt;
    volatile Instant ringingAt;
    volatile Instant answeredAt;
    /** The running attempt's timers (ring timeout, hang-up on ring, time limit), cancelled when it ends. */
    private final java.util.List<io.netty.util.Timeout> timers = new java.util.ArrayList<>(3);

    Call(Engine engine, CallRequest request, long seq, CallListener listener, Executor events) {
        this.engine = engine;
        this.request = request;
        this.seq = seq;
        this.listener = listener == null ? new CallListener() {} : listener;
        this.events = events;
    }

    public String id() { return id; }

    /**
     * Keeps a timer of the running attempt, to cancel when it ends: a time limit of hours holds the whole call (its
     * media buffers, dialog, listener) in the timer wheel until it fires, long after the call has gone.
     */
    synchronized void addTimer(io.netty.util.Timeout t) {
        timers.add(t);
    }

    /** Cancels the ended attempt's timers; a retry starts with none. */
    synchronized void cancelTimers() {
        for (io.netty.util.Timeout t : timers) t.cancel();
        timers.clear();
    }

    public CallRequest request() { return request; }

    public CallState state() { return state; }

    /** From {@code dial()} to the first INVITE handed to the transport, in µs; -1 before it is sent. */
    public long dialToInviteMicros() {
        OutboundCall s = firstSip;
        long sent = s == null ? 0 : s.inviteSentNanos();
        return sent == 0 ? -1 : (sent - dialNanos) / 1000;
    }

    /** System.nanoTime() when the latest attempt's INVITE was handed to the transport; 0 before. */
    public long inviteSentNanos() {
        OutboundCall s = sip;
        return s == null ? 0 : s.inviteSentNanos();
    }

    /** From the last attempt's INVITE to its 200, in µs; -1 when not answered. */
    public long setupMicros() {
        OutboundCall s = sip;
        return s == null || s.answeredNanos() == 0 ? -1 : (s.answeredNanos() - s.inviteSentNanos()) / 1000;
    }

    /** Completes when the callee answers; completes exceptionally if the call ends unanswered. */
    public CompletableFuture<Call> answered() { return answered; }

    public CompletableFuture<CallRecord> ended() { return ended; }

    /** Ends the call whatever its state: out of the queue, CANCEL while ringing, BYE once answered. */
    public void hangup() {
        cancelRequested = true;
        engine.hangup(this);
    }

    /** Same as {@link #hangup()}: callers rarely know whether the callee has answered yet. */
    public void cancel() {
        hangup();
    }

    void moveTo(CallState next) {
        if (state == CallState.ENDED || state == next) return;
        state = next;
        if (next == CallState.RINGING && ringingAt == null) ringingAt = Instant.now();
        if (next == CallState.IN_PROGRESS) answeredAt = Instant.now();
        events.execute(() -> {
            listener.onStateChanged(this, next);
            if (next == CallState.IN_PROGRESS) answered.complete(this);
        });
    }

    /** Runs the listener's synchronous pre-send hook; false when it threw (the call is then not sent). */
    boolean beforeFirstInvite() {
        try {
            listener.beforeFirstInvite(this);
            return true;
        } catch (RuntimeException e) {
            org.slf4j.LoggerFactory.getLogger(Call.class).warn("call {}: beforeFirstInvite failed, not dialling: {}", id, e.toString());
            return false;
        }
    }

    void machineDetection(io.trunkline.amd.AmdResult result) {
        amd = result;
        events.execute(() -> listener.onMachineDetection(this, result));
    }

    void dtmf(char digit, int durationMs) {
        events.execute(() -> listener.onDtmf(this, digit, durationMs));
    }

    /** How {@link #answered()} fails for a call that ended without an answer: its reason, no stack trace. */
    public static final class NotAnswered extends IllegalStateException {
        private final EndReason reason;

        NotAnswered(EndReason reason) {
            super("call ended " + reason.wireName() + " without answer");
            this.reason = reason;
        }

        public EndReason reason() { return reason; }

        @Override
        public synchronized Throwable fillInStackTrace() { return this; }
    }

    void finish(CallRecord record) {
        if (state == CallState.ENDED) return;
        state = CallState.ENDED;
        io.trunkline.engine.media.CallMedia m = media;
        if (m != null) m.close(record.reason().wireName()); // the port pair, recording and assistant go with the call
        events.execute(() -> {
            listener.onStateChanged(this, CallState.ENDED);
            listener.onEnded(this, record);
            // only a call that was never answered fails this future, and without a stack trace: it is an outcome, not a bug
            if (!answered.isDone()) answered.completeExceptionally(new NotAnswered(record.reason()));
            ended.complete(record);
        });
    }
}
