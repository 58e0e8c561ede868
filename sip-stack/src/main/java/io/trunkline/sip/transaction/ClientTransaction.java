package io.trunkline.sip.transaction;

import gov.nist.javax.sip.header.To;
import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.message.SIPResponse;
import io.netty.channel.EventLoop;
import io.trunkline.sip.message.SipCodec;

import javax.sip.message.Request;

/**
 * A client transaction, INVITE (RFC 3261 §17.1.1 with the RFC 6026 Accepted state) or non-INVITE (§17.1.2).
 * Over UDP it retransmits the request on timer A/E; it reports the first response of each class and the final
 * response once; for INVITE it builds and sends the ACK for a non-2xx final itself and re-sends it for every
 * retransmitted final (timer D); 2xx retransmissions go to the TU, which owns the 2xx ACK.
 */
public final class ClientTransaction extends Transaction {
    enum State { CALLING, PROCEEDING, COMPLETED, ACCEPTED, TERMINATED }

    private final boolean invite;
    private final ClientTransactionListener listener;
    private final byte[] encoded;
    private State state;
    private long interval;
    private int lastProvisional;
    private byte[] ackBytes;
    private int retransmissions;
    private volatile long sentNanos; // when the first transmission's write completed: after the syscall, not before

    ClientTransaction(TransactionLayer layer, String key, SIPRequest request, EventLoop owner, Destination destination,
                      ClientTransactionListener listener) {
        super(layer, key, request, owner, destination);
        this.invite = Request.INVITE.equals(request.getMethod());
        this.listener = listener;
        this.encoded = SipCodec.encode(request);
        this.state = State.CALLING;
    }

    public boolean isInvite() { return invite; }

    /** Number of retransmissions this transaction made (for load reports). */
    public int retransmissions() { return retransmissions; }

    void start() {
        SipTimers t = layer.timers();
        layer.send(encoded, destination).addListener(f -> {
            if (f.isSuccess()) sentNanos = System.nanoTime();
            else owner.execute(() -> transportError(f.cause()));
        });
        // timers A and B start once the request is handed over (on the channel's own loop the write has happened by
        // now): started before it, a slow first send left less than T1 to the first retransmission
        if (!reliable()) {
            interval = t.t1();
            retransmitTimer = layer.schedule(this, interval, this::retransmit);
        }
        timeoutTimer = layer.schedule(this, t.transactionTimeout(), this::timeout);
    }

    /**
     * System.nanoTime() once the first transmission was written to the socket (0 before, or when the write failed):
     * the instant a carrier's policer counts, later than the request was built by the encoding and, when the socket
     * belongs to another event loop, by a hop to that loop.
     */
    public long sentNanos() { return sentNanos; }

    /** The encoded request, as sent; for callers that need the exact bytes (e.g. to count wire size). */
    public int wireSize() { return encoded.length; }

    private void retransmit() {
        if (terminated || (state != State.CALLING && !(state == State.PROCEEDING && !invite))) return;
        retransmissions++;
        layer.countRetransmission();
        layer.send(encoded, destination);
        SipTimers t = layer.timers();
        interval = invite ? interval * 2 : (state == State.PROCEEDING ? t.t2() : Math.min(interval * 2, t.t2()));
        retransmitTimer = layer.schedule(this, interval, this::retransmit);
    }

    private void timeout() {
        if (terminated) return;
        if (state == State.CALLING || state == State.PROCEEDING) {
            terminate();
            listener.onTimeout(this);
        } else {
            terminate(); // timer D/K/M ran out in Completed/Accepted
        }
    }

    private void transportError(Throwable cause) {
        if (terminated || state == State.COMPLETED || state == State.ACCEPTED) return;
        terminate();
        listener.onTransportError(this, cause);
    }

    void onResponse(SIPResponse response) {
        int code = response.getStatusCode();
        switch (state) {
            case CALLING, PROCEEDING -> {
                if (code < 200) {
                    state = State.PROCEEDING;
                    if (invite && retransmitTimer != null) { retransmitTimer.cancel(); retransmitTimer = null; }
                    if (code != lastProvisional || code != 100) {
                        lastProvisional = code;
                        listener.onResponse(this, response);
                    }
                    return;
                }
                cancelTimers();
                SipTimers t = layer.timers();
                if (invite && code < 300) {
                    state = State.ACCEPTED; // RFC 6026: absorb nothing, pass 2xx retransmissions up for ~64*T1
                    timeoutTimer = layer.schedule(this, t.transactionTimeout(), this::timeout);
                } else {
                    state = State.COMPLETED;
                    if (invite) {
                        ackBytes = SipCodec.encode(request.createAckRequest((To) response.getTo()));
                        layer.send(ackBytes, destination);
                    }
                    long wait = reliable() ? 0 : (invite ? 32_000 : t.t4());
                    if (wait == 0) terminate();
                    else timeoutTimer = layer.schedule(this, wait, this::timeout);
                }
                listener.onResponse(this, response);
            }
            case ACCEPTED -> {
                if (code >= 200 && code < 300) listener.onResponse(this, response);
            }
            case COMPLETED -> {
                if (invite && code >= 300 && ackBytes != null) layer.send(ackBytes, destination); // timer D absorbs
            }
            case TERMINATED -> { }
        }
    }

    @Override
    void terminate() {
        state = State.TERMINATED;
        super.terminate();
    }
}
