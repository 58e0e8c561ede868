package io.trunkline.sip.transaction;

import gov.nist.javax.sip.message.SIPRequest;
import io.netty.channel.EventLoop;
import io.netty.util.Timeout;

/**
 * State shared by the four RFC 3261 §17 state machines. Every method runs on {@link #owner()}, the event loop that
 * owns the call (chosen by Call-ID), so a transaction needs no locks; timers hop onto that loop before they act.
 */
public abstract sealed class Transaction permits ClientTransaction, ServerTransaction {
    final TransactionLayer layer;
    final String key;
    final SIPRequest request;
    final EventLoop owner;
    Destination destination;
    Timeout retransmitTimer;
    Timeout timeoutTimer;
    boolean terminated;

    Transaction(TransactionLayer layer, String key, SIPRequest request, EventLoop owner, Destination destination) {
        this.layer = layer;
        this.key = key;
        this.request = request;
        this.owner = owner;
        this.destination = destination;
    }

    public SIPRequest request() { return request; }

    public String method() { return request.getMethod(); }

    public EventLoop owner() { return owner; }

    public Destination destination() { return destination; }

    public boolean isTerminated() { return terminated; }

    boolean reliable() { return destination.reliable(); }

    void cancelTimers() {
        if (retransmitTimer != null) { retransmitTimer.cancel(); retransmitTimer = null; }
        if (timeoutTimer != null) { timeoutTimer.cancel(); timeoutTimer = null; }
    }

    /** Moves to Terminated: timers stop and the layer forgets the transaction. Idempotent. */
    void terminate() {
        if (terminated) return;
        terminated = true;
        cancelTimers();
        layer.remove(this);
    }
}
