package io.trunkline.sip.ua;

import gov.nist.javax.sip.address.AddressImpl;
import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.message.SIPResponse;
import io.netty.channel.EventLoop;
import io.netty.util.Timeout;
import io.trunkline.sip.message.HeaderSafety;
import io.trunkline.sip.transaction.Branches;
import io.trunkline.sip.transaction.ServerTransaction;
import io.trunkline.sip.transport.InboundMessage;

import javax.sip.header.ContactHeader;
import javax.sip.message.Request;
import java.text.ParseException;

/**
 * The UAS side of one call (RFC 3261 §13.3): provisional and final responses, 2xx retransmission until the ACK
 * (§13.3.1.4), CANCEL, and BYE from either side. The carrier simulator drives it; all methods must run on the call's
 * event loop ({@link #schedule} runs work there).
 */
public final class InboundCall {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(InboundCall.class);

    public enum State { RINGING, ANSWERED, CONFIRMED, ENDED }

    private final SipUserAgent ua;
    private final ServerTransaction tx;
    private final InboundMessage inbound;
    private final SIPRequest invite;
    private final String localTag = Branches.newTag();
    private InboundCallListener listener = new InboundCallListener() {};
    private State state = State.RINGING;
    private Dialog dialog;
    private byte[] okBytes;
    private Timeout okRetransmit;
    private long okInterval;
    private long okDeadline;
    private Object attachment;

    InboundCall(SipUserAgent ua, ServerTransaction tx, InboundMessage inbound) {
        this.ua = ua;
        this.tx = tx;
        this.inbound = inbound;
        this.invite = (SIPRequest) inbound.message();
    }

    public SIPRequest request() { return invite; }

    public String callId() { return invite.getCallId().getCallId(); }

    /** The Request-URI user (the dialled number), or null. */
    public String calledUser() {
        return invite.getRequestURI() instanceof gov.nist.javax.sip.address.SipUri sip ? sip.getUser() : null;
    }

    public String callingUser() {
        return invite.getFrom().getAddress().getURI() instanceof gov.nist.javax.sip.address.SipUri sip ? sip.getUser() : null;
    }

    public java.net.InetSocketAddress source() { return inbound.source(); }

    /** When the INVITE's bytes were read from the socket (System.nanoTime()). */
    public long receivedNanos() { return inbound.receivedNanos(); }

    public State state() { return state; }

    public EventLoop owner() { return tx.owner(); }

    public void setListener(InboundCallListener listener) { this.listener = listener; }

    /** Free slot for the handler's own per-call state. */
    public void attach(Object attachment) { this.attachment = attachment; }

    public Object attachment() { return attachment; }

    /**
     * Runs {@code action} on this call's event loop after {@code delayMs}; skipped if the call ended meanwhile. An
     * action that throws ends the call here: this class owns the call's state, and an exception escaping into the
     * event loop would leave the call, its dialog and its timers registered for good.
     */
    public Timeout schedule(long delayMs, Runnable action) {
        return ua.transactions().schedule(tx.owner(), delayMs, () -> {
            if (state == State.ENDED) return;
            try {
                action.run();
            } catch (RuntimeException e) {
                log.error("call {}: a timer task failed; ending the call", callId(), e);
                abort("internal error: " + e.getMessage());
            }
        });
    }

    /**
     * Ends the call after a failure of our own, telling the caller as well as it still can: a 500 while it waits
     * for a final response (which also lets the INVITE transaction complete), a BYE once answered.
     */
    private void abort(String reason) {
        try {
            if (state == State.RINGING) tx.sendResponse(response(500, "Server Internal Error"));
            else if (dialog != null && state != State.ENDED) {
                stopOkRetransmit();
                ua.transactions().sendRequest(dialog.newRequest(Request.BYE), dialog.destination(), OutboundCall.IGNORE);
            }
        } catch (RuntimeException e) {
            log.warn("call {}: could not tell the caller: {}", callId(), e.toString());
        } finally {
            end(false, reason);
        }
    }

    /** 180 Ringing, or 183 Session Progress with early-media SDP when {@code sdp} is given. */
    public void ring(int status, String sdp) {
        if (state != State.RINGING) return;
        if (status <= 100 || status >= 200) throw new IllegalArgumentException("status must be 101..199, got " + status);
        SIPResponse r = response(status, null);
        if (sdp != null) setBody(r, sdp);
        tx.sendResponse(r);
    }

    /** 200 OK with our SDP; retransmitted until the ACK arrives (RFC 3261 §13.3.1.4). */
    public void answer(String sdp) {
        if (state != State.RINGING) return;
        SIPResponse ok = response(200, null);
        if (sdp != null) setBody(ok, sdp);
        state = State.ANSWERED;
        dialog = new Dialog(callId(), localTag, invite.getFrom().getTag(),
                (AddressImpl) ok.getTo().getAddress(), (AddressImpl) invite.getFrom().getAddress(), remoteTarget(),
                Dialog.routeSetFromRecordRoute(invite, false), 0, tx.destination(), ua.transport().localAddress(tx.destination().transport()));
        ua.registerDialog(dialog, this);
        okBytes = io.trunkline.sip.message.SipCodec.encode(ok);
        tx.sendResponse(ok);
        if (!tx.destination().reliable()) {
            okInterval = ua.transactions().timers().t1();
            okDeadline = System.nanoTime() + ua.transactions().timers().transactionTimeout() * 1_000_000L;
            okRetransmit = schedule(okInterval, this::retransmitOk);
        }
    }

    private void retransmitOk() {
        if (state != State.ANSWERED) return;
        if (System.nanoTime() >= okDeadline) {
            // no ACK in 64*T1: the session is not established; end it with BYE (RFC 3261 §13.3.1.4)
            state = State.CONFIRMED;
            hangup();
            return;
        }
        var d = tx.destination();
        ua.transport().send(okBytes, d.address(), d.transport(), d.connection());
        okInterval = Math.min(okInterval * 2, ua.transactions().timers().t2());
        okRetransmit = schedule(okInterval, this::retransmitOk);
    }

    /** Final non-2xx with optional extra headers ("Name: value", each checked for injection). */
    public void reject(int status, String reason, String... headers) {
        if (state != State.RINGING) return;
        if (status < 300 || status > 699) throw new IllegalArgumentException("status must be 300..699, got " + status);
        SIPResponse r = response(status, reason);
        for (String h : headers) {
            HeaderSafety.require("header", h);
            try {
                r.addHeader(h);
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("bad header '" + h.split(":")[0] + "'");
            }
        }
        tx.sendResponse(r);
        end(false, status + " " + (reason == null ? "" : reason));
    }

    /** Ends the call from our side: BYE once established, 480 before answer. */
    public void hangup() {
        switch (state) {
            case RINGING -> reject(480, "Temporarily Unavailable");
            case ANSWERED, CONFIRMED -> {
                stopOkRetransmit();
                try {
                    ua.transactions().sendRequest(dialog.newRequest(Request.BYE), dialog.destination(), OutboundCall.IGNORE);
                } finally { // the call ends here even when no BYE can be built or sent: nothing may stay registered
                    end(false, "local BYE");
                }
            }
            case ENDED -> { }
        }
    }

    void onAck() {
        if (state == State.ANSWERED) {
            state = State.CONFIRMED;
            stopOkRetransmit();
            listener.onConfirmed(this);
        }
    }

    void onCancel() {
        if (state != State.RINGING) return;
        // the call ends here before the 487 leaves, so whoever sees the 487 also sees this side ended; the 487 goes
        // even if a listener throws, or the caller would retransmit its INVITE for 64*T1
        state = State.ENDED;
        ua.onInboundEnded(this, dialog);
        try {
            listener.onCancelled(this);
            listener.onEnded(this, true, "CANCEL");
        } finally {
            tx.sendResponse(response(487, "Request Terminated"));
        }
    }

    void onDialogRequest(ServerTransaction t, InboundMessage in) {
        SIPRequest request = (SIPRequest) in.message();
        if (Request.BYE.equals(request.getMethod())) {
            // end before the 200 leaves: the caller must not learn the BYE was taken before this side has ended;
            // the 200 goes even if a listener throws
            if (state == State.ANSWERED) stopOkRetransmit();
            try {
                end(true, "BYE");
            } finally {
                t.sendResponse(request.createResponse(200));
            }
        } else if (Request.OPTIONS.equals(request.getMethod()) || "INFO".equals(request.getMethod())) {
            t.sendResponse(request.createResponse(200));
        } else {
            t.sendResponse(request.createResponse(Request.INVITE.equals(request.getMethod()) ? 488 : 501));
        }
    }

    private void end(boolean remote, String reason) {
        if (state == State.ENDED) return;
        state = State.ENDED;
        stopOkRetransmit();
        ua.onInboundEnded(this, dialog);
        listener.onEnded(this, remote, reason);
    }

    private void stopOkRetransmit() {
        if (okRetransmit != null) {
            okRetransmit.cancel();
            okRetransmit = null;
        }
    }

    private javax.sip.address.URI remoteTarget() {
        ContactHeader contact = (ContactHeader) invite.getHeader(ContactHeader.NAME);
        return contact != null && contact.getAddress() != null ? contact.getAddress().getURI()
                : invite.getFrom().getAddress().getURI();
    }

    private SIPResponse response(int status, String reason) {
        SIPResponse r = reason == null ? invite.createResponse(status) : invite.createResponse(status, reason);
        try {
            if (status > 100) r.getTo().setTag(localTag);
        } catch (ParseException e) {
            throw new IllegalStateException(e);
        }
        if (status > 100 && status < 300) {
            ua.addContact(r, tx.destination().transport());
            if (invite.getRecordRouteHeaders() != null) r.setHeader(invite.getRecordRouteHeaders());
        }
        return r;
    }

    private void setBody(SIPResponse r, String sdp) {
        try {
            r.setContent(sdp, ua.sdpContentType());
        } catch (ParseException e) {
            throw new IllegalStateException(e);
        }
    }
}
