package io.trunkline.sip.ua;

import gov.nist.javax.sip.address.AddressImpl;
import gov.nist.javax.sip.header.CSeq;
import gov.nist.javax.sip.header.Via;
import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.message.SIPResponse;
import io.netty.channel.EventLoop;
import io.netty.util.Timeout;
import io.trunkline.sip.transaction.Branches;
import io.trunkline.sip.transaction.ClientTransaction;
import io.trunkline.sip.transaction.ClientTransactionListener;
import io.trunkline.sip.transaction.Destination;
import io.trunkline.sip.transport.InboundMessage;
import io.trunkline.sip.transport.TransportType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sip.header.ContactHeader;
import javax.sip.message.Request;
import java.text.ParseException;
import java.util.HashMap;
import java.util.Map;

/**
 * One outbound call as the UAC core sees it (RFC 3261 §13.2, §15): the INVITE client transaction, the early and
 * confirmed dialogs, CANCEL, BYE, digest retries and forked 2xx. Every method runs on the call's event loop; the
 * public control methods ({@link #cancel()}, {@link #hangup()}) hop there from any thread.
 */
public final class OutboundCall {
    private static final Logger log = LoggerFactory.getLogger(OutboundCall.class);

    public enum State { CALLING, PROCEEDING, EARLY, CONFIRMED, TERMINATING, ENDED }

    private final SipUserAgent ua;
    private final DialRequest dial;
    private final CallListener listener;
    private final EventLoop owner;
    private final String callId;
    private final String localTag = Branches.newTag();
    private Destination trunk;
    private State state = State.CALLING;
    private SIPRequest invite;
    private ClientTransaction inviteTx;
    private volatile ClientTransaction firstInviteTx; // the first INVITE's (an auth retry sends another)
    private Dialog dialog;
    private final Map<String, Dialog> extraDialogs = new HashMap<>(1);
    private byte[] ackBytes;
    private Destination ackDestination;
    private boolean cancelRequested;
    private boolean cancelSent;
    private boolean authTried;
    private Timeout guardTimer;
    private CallEnd end;
    private int retransmissionsBefore;

    // timestamps, System.nanoTime(); 0 = not reached
    private volatile long inviteSentNanos;
    private volatile long ringingNanos;
    private volatile long answeredNanos;
    private volatile long endedNanos;

    OutboundCall(SipUserAgent ua, DialRequest dial, CallListener listener, String callId, Destination trunk) {
        this.ua = ua;
        this.dial = dial;
        this.listener = listener;
        this.callId = callId;
        this.trunk = trunk;
        this.owner = ua.transactions().ownerOf(callId);
    }

    public String callId() { return callId; }

    /** The transport the INVITE went over (UDP switches to TCP for a large INVITE). */
    public TransportType transport() { return trunk.transport(); }

    /** The event loop this call runs on; schedule follow-up work for the call here. */
    public EventLoop owner() { return owner; }

    public DialRequest request() { return dial; }

    /** Current state; read from any thread (a snapshot). */
    public State state() { return state; }

    public long inviteSentNanos() { return inviteSentNanos; }

    /** System.nanoTime() once the first INVITE was written to the socket; 0 before (and if its write failed). */
    public long inviteOnWireNanos() {
        ClientTransaction tx = firstInviteTx;
        return tx == null ? 0 : tx.sentNanos();
    }

    public long ringingNanos() { return ringingNanos; }

    public long answeredNanos() { return answeredNanos; }

    public long endedNanos() { return endedNanos; }

    /** How the call ended, or null while it is live. */
    public CallEnd end() { return end; }

    /** Retransmissions of this call's INVITE transactions. */
    public int retransmissions() {
        return retransmissionsBefore + (inviteTx == null ? 0 : inviteTx.retransmissions());
    }

    /** Cancels before answer; after answer it hangs up instead (a caller rarely knows which it is). */
    public void cancel() {
        owner.execute(() -> {
            if (state == State.CONFIRMED) sendBye();
            else doCancel();
        });
    }

    /** Ends the call in any state: CANCEL before answer, BYE after. */
    public void hangup() {
        cancel();
    }

    void start() {
        try {
            invite = ua.buildInvite(dial, callId, localTag, trunk, 1);
            if (trunk.transport() == TransportType.UDP && SipUserAgent.tooBigForUdp(invite)) {
                if (dial.trunk().transportPinned()) {
                    finish(new CallEnd(CallOutcome.FAILED, 513, "INVITE is over " + SipUserAgent.UDP_MTU_LIMIT
                            + " bytes and the trunk is UDP only (transport=udp); allow TCP (RFC 3261 §18.1.1)", false));
                    return;
                }
                trunk = Destination.of(trunk.address(), TransportType.TCP); // RFC 3261 §18.1.1: large requests go over TCP
                invite = ua.buildInvite(dial, callId, localTag, trunk, 1);
            }
        } catch (RuntimeException e) {
            finish(new CallEnd(CallOutcome.FAILED, 500, "cannot build INVITE: " + e.getMessage(), false));
            return;
        }
        sendInvite();
    }

    private void sendInvite() {
        inviteSentNanos = System.nanoTime();
        inviteTx = ua.transactions().sendRequest(invite, trunk, new InviteListener());
        if (firstInviteTx == null) firstInviteTx = inviteTx;
        ua.onInviteSent(this, inviteTx);
    }

    private final class InviteListener implements ClientTransactionListener {
        @Override
        public void onResponse(ClientTransaction tx, SIPResponse response) {
            if (tx != inviteTx) return; // a superseded INVITE (before an auth retry)
            int code = response.getStatusCode();
            if (code < 200) onProvisional(response);
            else if (code < 300) onSuccess(response);
            else onFailure(response);
        }

        @Override
        public void onTimeout(ClientTransaction tx) {
            if (tx != inviteTx || state == State.ENDED) return;
            // not one response: the trunk is silent (lost, dead or stalled), which is a failure of the path, not a
            // phone that rang out; the dial edge fails over and counts it against the trunk, even when we had
            // already given up on the call (a CANCEL waits for a provisional that never came)
            if (state == State.CALLING) {
                finish(cancelRequested ? new CallEnd(CallOutcome.CANCELED, 0, "cancelled; " + CallEnd.NO_RESPONSE, false, 0, true)
                        : new CallEnd(CallOutcome.FAILED, 0, CallEnd.NO_RESPONSE, false, 0, true));
            } else if (cancelRequested) {
                finish(new CallEnd(CallOutcome.CANCELED, 487, "cancelled; no final response", false));
            } else {
                finish(new CallEnd(CallOutcome.NO_ANSWER, 408, "no final response after a provisional (timer B)", false));
            }
        }

        @Override
        public void onTransportError(ClientTransaction tx, Throwable cause) {
            if (tx != inviteTx || state == State.ENDED) return;
            finish(new CallEnd(CallOutcome.FAILED, 503, "transport error: " + cause.getMessage(), false, 0, true));
        }
    }

    private void onProvisional(SIPResponse response) {
        if (state != State.CALLING && state != State.PROCEEDING && state != State.EARLY) return; // late 1xx: ignore
        int code = response.getStatusCode();
        if (code == 100) {
            if (state == State.CALLING) {
                state = State.PROCEEDING;
                listener.onTrying(this);
            }
        } else {
            if (ringingNanos == 0) ringingNanos = System.nanoTime();
            if (response.getTo().getTag() != null) state = State.EARLY;
            else if (state == State.CALLING) state = State.PROCEEDING;
            listener.onRinging(this, code, hasSdp(response) ? body(response) : null);
        }
        if (cancelRequested && !cancelSent) sendCancel(); // RFC 3261 §9.1: CANCEL only after a provisional
    }

    private void onSuccess(SIPResponse response) {
        String remoteTag = response.getTo().getTag();
        if (dialog != null) {
            if (remoteTag != null && remoteTag.equals(dialog.remoteTag)) {
                if (ackBytes != null) ua.transport().send(ackBytes, ackDestination.address(), ackDestination.transport(), ackDestination.connection());
            } else {
                ackAndByeFork(response);
            }
            return;
        }
        if (state == State.ENDED) {
            ackAndByeFork(response); // 2xx after we gave up (e.g. late answer after timer B)
            return;
        }
        answeredNanos = System.nanoTime();
        dialog = createDialog(response);
        ua.registerDialog(dialog, this);
        sendAck(response);
        state = State.CONFIRMED;
        if (cancelRequested) {
            // the 487 race: our CANCEL crossed the 2xx; the call exists now, so end it with BYE (RFC 3261 §9.1)
            sendBye();
            return;
        }
        listener.onAnswered(this, hasSdp(response) ? body(response) : null);
    }

    private void onFailure(SIPResponse response) {
        int code = response.getStatusCode();
        if (state == State.ENDED || state == State.CONFIRMED) return;
        if ((code == 401 || code == 407) && !authTried && dial.auth() != null && !cancelRequested) {
            if (retryWithCredentials(response)) return;
        }
        CallOutcome outcome = cancelSent && code == 487 ? CallOutcome.CANCELED : CallOutcome.forStatus(code);
        finish(new CallEnd(outcome, code, response.getReasonPhrase(), !cancelSent, retryAfter(response)));
    }

    /** Retry-After in seconds (0 when absent or unreadable), capped at an hour whatever the far end asks. */
    private static int retryAfter(SIPResponse response) {
        javax.sip.header.Header h = response.getHeader("Retry-After");
        if (!(h instanceof javax.sip.header.RetryAfterHeader r)) return 0;
        return Math.max(0, Math.min(3600, r.getRetryAfter()));
    }

    /** RFC 3261 §22.2: same Call-ID and From tag, CSeq + 1, new branch, with the credentials. */
    private boolean retryWithCredentials(SIPResponse challenge) {
        boolean proxy = challenge.getStatusCode() == 407;
        javax.sip.header.Header h = challenge.getHeader(proxy ? "Proxy-Authenticate" : "WWW-Authenticate");
        if (h == null) return false;
        String value = h.toString();
        value = value.substring(value.indexOf(':') + 1).trim();
        String authorization;
        try {
            authorization = dial.auth().respond(value, proxy, Request.INVITE, invite.getRequestURI().toString());
        } catch (RuntimeException e) {
            log.debug("call {}: cannot answer the challenge: {}", callId, e.getMessage());
            return false;
        }
        if (authorization == null) return false;
        authTried = true;
        retransmissionsBefore += inviteTx.retransmissions();
        try {
            SIPRequest retry = (SIPRequest) invite.clone();
            CSeq cseq = (CSeq) retry.getCSeq();
            cseq.setSeqNumber(cseq.getSeqNumber() + 1);
            ((Via) retry.getTopmostVia()).setBranch(Branches.newBranch());
            retry.removeHeader("Proxy-Authorization"); // and any stale pre-emptive credentials of either kind
            retry.removeHeader("Authorization");
            retry.addHeader((proxy ? "Proxy-Authorization: " : "Authorization: ") + authorization);
            if (dial.identity() != null) SipUserAgent.signIdentity(retry, dial); // a retry is a new INVITE: fresh iat
            invite = retry;
        } catch (ParseException | javax.sip.InvalidArgumentException e) {
            return false;
        }
        state = State.CALLING;
        sendInvite(); // not a new call attempt: the dial edge counts calls, not INVITEs
        return true;
    }

    private Dialog createDialog(SIPResponse response) {
        ContactHeader contact = (ContactHeader) response.getHeader(ContactHeader.NAME);
        javax.sip.address.URI target = contact != null && contact.getAddress() != null
                ? contact.getAddress().getURI() : invite.getRequestURI();
        return new Dialog(callId, localTag, response.getTo().getTag(),
                (AddressImpl) invite.getFrom().getAddress(), (AddressImpl) response.getTo().getAddress(),
                target, Dialog.routeSetFromRecordRoute(response, true), invite.getCSeq().getSeqNumber(), trunk,
                ua.transport().localAddress(trunk.transport()));
    }

    private void sendAck(SIPResponse response) {
        SIPRequest ack = dialog.ack(invite.getCSeq().getSeqNumber());
        javax.sip.header.Header auth = invite.getHeader("Proxy-Authorization");
        if (auth != null) ack.addHeader((javax.sip.header.Header) auth.clone());
        ackDestination = dialog.destination();
        ackBytes = io.trunkline.sip.message.SipCodec.encode(ack);
        ua.transport().send(ackBytes, ackDestination.address(), ackDestination.transport(), ackDestination.connection());
    }

    /** A second dialog from a forking proxy: it must be acknowledged, then ended (we keep one call). */
    private void ackAndByeFork(SIPResponse response) {
        String remoteTag = response.getTo().getTag();
        if (remoteTag == null || extraDialogs.containsKey(remoteTag)) {
            Dialog d = remoteTag == null ? null : extraDialogs.get(remoteTag);
            if (d != null) ua.transactions().sendStateless(d.ack(invite.getCSeq().getSeqNumber()), d.destination());
            return;
        }
        Dialog fork = createDialog(response);
        extraDialogs.put(remoteTag, fork);
        ua.transactions().sendStateless(fork.ack(invite.getCSeq().getSeqNumber()), fork.destination());
        ua.transactions().sendRequest(fork.newRequest(Request.BYE), fork.destination(), IGNORE);
    }

    private void doCancel() {
        if (state == State.ENDED || state == State.TERMINATING) return;
        cancelRequested = true;
        if (inviteTx == null) {
            finish(new CallEnd(CallOutcome.CANCELED, 487, "cancelled before sending", false));
            return;
        }
        if (state == State.PROCEEDING || state == State.EARLY) sendCancel();
        // in CALLING the CANCEL waits for the first provisional; the guard ends the call if none ever comes
        guardTimer = ua.transactions().schedule(owner, ua.transactions().timers().transactionTimeout(), () -> {
            if (state != State.ENDED && state != State.CONFIRMED && state != State.TERMINATING) {
                finish(new CallEnd(CallOutcome.CANCELED, 487, "cancelled; no final response", false));
            }
        });
    }

    private void sendCancel() {
        cancelSent = true;
        try {
            SIPRequest cancel = invite.createCancelRequest();
            ua.transactions().sendRequest(cancel, trunk, IGNORE);
        } catch (javax.sip.SipException e) {
            log.warn("call {}: cannot build CANCEL: {}", callId, e.getMessage());
        }
    }

    private void sendBye() {
        if (state != State.CONFIRMED) return;
        state = State.TERMINATING;
        SIPRequest bye = dialog.newRequest(Request.BYE);
        ua.transactions().sendRequest(bye, dialog.destination(), new ClientTransactionListener() {
            @Override
            public void onResponse(ClientTransaction tx, SIPResponse r) {
                if (r.getStatusCode() >= 200) endAfterBye(r.getStatusCode(), r.getReasonPhrase());
            }

            @Override
            public void onTimeout(ClientTransaction tx) { endAfterBye(408, "BYE timed out"); }

            @Override
            public void onTransportError(ClientTransaction tx, Throwable cause) { endAfterBye(503, "BYE not sent"); }
        });
    }

    private void endAfterBye(int code, String reason) {
        if (cancelRequested) {
            finish(new CallEnd(CallOutcome.CANCELED, 487, "cancelled; answered in the CANCEL race and ended with BYE", false));
        } else {
            finish(new CallEnd(CallOutcome.COMPLETED, 200, code == 200 ? "hangup by us" : "hangup by us (BYE " + code + ")", false));
        }
    }

    /** In-dialog request from the far end (BYE, re-INVITE, OPTIONS, INFO). */
    void onDialogRequest(io.trunkline.sip.transaction.ServerTransaction tx, InboundMessage in) {
        SIPRequest request = (SIPRequest) in.message();
        String method = request.getMethod();
        switch (method) {
            case Request.BYE -> {
                tx.sendResponse(request.createResponse(200));
                if (state == State.CONFIRMED || state == State.TERMINATING) {
                    finish(new CallEnd(CallOutcome.COMPLETED, 200, "hangup by callee", true));
                }
            }
            case Request.INVITE -> {
                // a session refresh or hold: keep our side as it was (media negotiation comes with the media path)
                SIPResponse ok = request.createResponse(200);
                ua.addContact(ok, trunk.transport());
                try {
                    ok.setContent(dial.sdpOffer(), ua.sdpContentType());
                } catch (ParseException e) {
                    throw new IllegalStateException(e);
                }
                tx.sendResponse(ok);
            }
            case Request.OPTIONS, "INFO", "UPDATE", "NOTIFY" -> tx.sendResponse(request.createResponse(200));
            default -> tx.sendResponse(request.createResponse(501));
        }
    }

    /** A retransmitted 2xx that arrived after the INVITE transaction ended: re-send the ACK. */
    void onStray2xx(SIPResponse response) {
        onSuccess(response);
    }

    private void finish(CallEnd result) {
        if (state == State.ENDED) return;
        state = State.ENDED;
        end = result;
        endedNanos = System.nanoTime();
        if (guardTimer != null) guardTimer.cancel();
        ua.onCallEnded(this, dialog, extraDialogs.values());
        try {
            listener.onEnded(this, result);
        } catch (RuntimeException e) {
            log.error("call listener failed for {}", callId, e);
        }
    }

    static final ClientTransactionListener IGNORE = new ClientTransactionListener() {
        @Override public void onResponse(ClientTransaction tx, SIPResponse response) {}
        @Override public void onTimeout(ClientTransaction tx) {}
        @Override public void onTransportError(ClientTransaction tx, Throwable cause) {}
    };

    private static boolean hasSdp(SIPResponse r) {
        return r.getContentLength() != null && r.getContentLength().getContentLength() > 0;
    }

    private static String body(SIPResponse r) {
        byte[] raw = r.getRawContent();
        return raw == null ? null : new String(raw, java.nio.charset.StandardCharsets.UTF_8);
    }
}
