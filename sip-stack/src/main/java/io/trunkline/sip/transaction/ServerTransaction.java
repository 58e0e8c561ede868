package io.trunkline.sip.transaction;

import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.message.SIPResponse;
import io.netty.channel.EventLoop;
import io.trunkline.sip.message.SipCodec;

import javax.sip.message.Request;

/**
 * A server transaction, INVITE (RFC 3261 §17.2.1 with the RFC 6026 Accepted state) or non-INVITE (§17.2.2).
 * It absorbs request retransmissions by re-sending the last response, retransmits a non-2xx INVITE final over UDP
 * (timer G) until the ACK (timer H gives up), and lingers to absorb stragglers (timers I, J, L).
 * 2xx retransmission for INVITE is the TU's job (the dialog), as RFC 3261 §13.3.1.4 says.
 */
public final class ServerTransaction extends Transaction {
    enum State { TRYING, PROCEEDING, COMPLETED, CONFIRMED, ACCEPTED, TERMINATED }

    private final boolean invite;
    private State state;
    private byte[] lastResponse;
    private int finalStatus;
    private long interval;
    private Object applicationData;

    ServerTransaction(TransactionLayer layer, String key, SIPRequest request, EventLoop owner, Destination destination) {
        super(layer, key, request, owner, destination);
        this.invite = Request.INVITE.equals(request.getMethod());
        this.state = invite ? State.PROCEEDING : State.TRYING;
    }

    public boolean isInvite() { return invite; }

    /** Final status sent, or 0 while none has been. */
    public int finalStatus() { return finalStatus; }

    public boolean hasResponded() { return lastResponse != null; }

    /** Lets the UA core hang its call object on the transaction (for CANCEL matching). */
    public void setApplicationData(Object data) { this.applicationData = data; }

    public Object applicationData() { return applicationData; }

    /** Sends a response through the transaction; late responses after the final are ignored. Must run on owner. */
    public void sendResponse(SIPResponse response) {
        if (finalStatus != 0 || terminated) return;
        int code = response.getStatusCode();
        byte[] bytes = SipCodec.encode(response);
        lastResponse = bytes;
        layer.send(bytes, destination);
        if (code < 200) {
            if (state == State.TRYING) state = State.PROCEEDING;
            return;
        }
        finalStatus = code;
        SipTimers t = layer.timers();
        if (invite && code < 300) {
            state = State.ACCEPTED; // timer L: absorb INVITE retransmissions while the TU retransmits the 2xx
            timeoutTimer = layer.schedule(this, t.transactionTimeout(), this::terminate);
        } else if (invite) {
            state = State.COMPLETED;
            if (!reliable()) {
                interval = t.t1();
                retransmitTimer = layer.schedule(this, interval, this::retransmitFinal);
            }
            timeoutTimer = layer.schedule(this, t.transactionTimeout(), this::ackTimeout); // timer H
        } else {
            state = State.COMPLETED;
            if (reliable()) terminate();
            else timeoutTimer = layer.schedule(this, t.transactionTimeout(), this::terminate); // timer J
        }
    }

    private void retransmitFinal() {
        if (state != State.COMPLETED || terminated) return;
        layer.countRetransmission();
        layer.send(lastResponse, destination);
        interval = Math.min(interval * 2, layer.timers().t2());
        retransmitTimer = layer.schedule(this, interval, this::retransmitFinal);
    }

    private void ackTimeout() {
        if (state == State.COMPLETED) terminate(); // no ACK for our final: nothing more to do (RFC 3261 §17.2.1)
    }

    /** A retransmission of the request arrived: re-send the last response, if any (RFC 3261 §17.2.1/§17.2.2). */
    void onRetransmission() {
        if (lastResponse != null && (state == State.PROCEEDING || state == State.COMPLETED)) {
            layer.send(lastResponse, destination);
        }
    }

    /** An ACK matching a non-2xx final: stop retransmitting and linger for timer I. Returns true if absorbed. */
    boolean onAck() {
        if (state == State.COMPLETED) {
            state = State.CONFIRMED;
            cancelTimers();
            long wait = reliable() ? 0 : layer.timers().t4();
            if (wait == 0) terminate();
            else timeoutTimer = layer.schedule(this, wait, this::terminate);
            return true;
        }
        return state == State.CONFIRMED; // a retransmitted ACK
    }

    @Override
    void terminate() {
        state = State.TERMINATED;
        super.terminate();
    }
}
