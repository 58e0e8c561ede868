package io.trunkline.sip.transport;

import java.util.concurrent.atomic.LongAdder;

/** Counters the transport keeps; read them for load reports and leak checks. */
public final class TransportStats {
    final LongAdder received = new LongAdder();
    final LongAdder sent = new LongAdder();
    final LongAdder malformed = new LongAdder();
    final LongAdder rejectedMalformed = new LongAdder();
    final LongAdder sendFailures = new LongAdder();
    final LongAdder keepAlives = new LongAdder();

    public long received() { return received.sum(); }
    public long sent() { return sent.sum(); }
    /** Datagrams or stream messages that did not parse (dropped, or answered 400/505 statelessly). */
    public long malformed() { return malformed.sum(); }
    /** Of the malformed ones, those answered with a stateless error response. */
    public long rejectedMalformed() { return rejectedMalformed.sum(); }
    public long sendFailures() { return sendFailures.sum(); }
    public long keepAlives() { return keepAlives.sum(); }
}
