package io.trunkline.sip.ua;

import gov.nist.javax.sip.address.AddressImpl;
import gov.nist.javax.sip.address.GenericURI;
import gov.nist.javax.sip.address.SipUri;
import gov.nist.javax.sip.header.CSeq;
import gov.nist.javax.sip.header.CallID;
import gov.nist.javax.sip.header.Contact;
import gov.nist.javax.sip.header.ContentType;
import gov.nist.javax.sip.header.From;
import gov.nist.javax.sip.header.MaxForwards;
import gov.nist.javax.sip.header.To;
import gov.nist.javax.sip.header.UserAgent;
import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.message.SIPResponse;
import gov.nist.javax.sip.parser.StringMsgParser;
import io.trunkline.sip.message.RequestValidator;
import io.trunkline.sip.transaction.Branches;
import io.trunkline.sip.transaction.ClientTransaction;
import io.trunkline.sip.transaction.ClientTransactionListener;
import io.trunkline.sip.transaction.Destination;
import io.trunkline.sip.transaction.ServerTransaction;
import io.trunkline.sip.transaction.TransactionLayer;
import io.trunkline.sip.transaction.TransactionUser;
import io.trunkline.sip.transaction.Vias;
import io.trunkline.sip.transport.InboundMessage;
import io.trunkline.sip.transport.NettySipTransport;
import io.trunkline.sip.transport.TransportType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sip.message.Request;
import java.net.InetSocketAddress;
import java.text.ParseException;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The SIP user agent: the facade over transport, transactions and dialogs (PJSIP's "ua" layer). It places outbound
 * calls ({@link #dial}), answers what arrives outside a dialog (RFC 3261 §8.2: OPTIONS, 481, 405/501 through the
 * validator, and INVITEs, which go to the {@link InboundCallHandler} or get 404), and routes in-dialog requests to
 * their call.
 */
public final class SipUserAgent implements TransactionUser, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SipUserAgent.class);
    /** An INVITE over this size goes over TCP (RFC 3261 §18.1.1: 1300 bytes leaves room under a 1500 MTU). */
    public static final int UDP_MTU_LIMIT = 1300;

    private final UserAgentConfig config;
    private final NettySipTransport transport;
    private final TransactionLayer transactions;
    private final Map<String, OutboundCall> outbound = new ConcurrentHashMap<>();
    private final Map<String, InboundCall> inbound = new ConcurrentHashMap<>();
    private final Map<String, Object> dialogs = new ConcurrentHashMap<>();
    private final LongAdder invitesSent = new LongAdder();
    private final LongAdder callsStarted = new LongAdder();
    private final ContentType sdpType = new ContentType("application", "sdp");
    private final UserAgent userAgentHeader = new UserAgent();
    private volatile InboundCallHandler inboundHandler;

    private SipUserAgent(UserAgentConfig config) throws InterruptedException {
        this.config = config;
        this.transport = new NettySipTransport(config.transport(), this::onInbound);
        this.transactions = new TransactionLayer(transport, config.timers());
        this.transactions.setUser(this);
        userAgentHeader.addProductToken(config.productName());
        transport.start();
    }

    /** Binds the sockets and returns a running user agent. */
    public static SipUserAgent start(UserAgentConfig config) throws InterruptedException {
        return new SipUserAgent(config);
    }

    public void setInboundHandler(InboundCallHandler handler) { this.inboundHandler = handler; }

    public NettySipTransport transport() { return transport; }

    public TransactionLayer transactions() { return transactions; }

    public InetSocketAddress localAddress(TransportType type) { return transport.localAddress(type); }

    /** Live calls (outbound and inbound), dialogs and transactions: all return to zero when traffic stops. */
    public int activeCalls() { return outbound.size() + inbound.size(); }

    public int activeDialogs() { return dialogs.size(); }

    public int activeTransactions() { return transactions.clientCount() + transactions.serverCount(); }

    public long invitesSent() { return invitesSent.sum(); }

    public long callsStarted() { return callsStarted.sum(); }

    /**
     * Places a call. Returns at once; events arrive on {@code listener} from the call's event loop.
     * The request was validated when it was built, so nothing user-supplied reaches a header unchecked.
     */
    public OutboundCall dial(DialRequest request, CallListener listener) {
        String callId = Branches.newCallId(transport.localAddress(TransportType.UDP).getAddress().getHostAddress());
        TransportType type = request.trunk().transport();
        Destination trunk = Destination.of(request.trunk().resolve(), type);
        OutboundCall call = new OutboundCall(this, request, listener, callId, trunk);
        outbound.put(callId, call);
        callsStarted.increment();
        transactions.ownerOf(callId).execute(call::start);
        return call;
    }

    /**
     * Sends an out-of-dialog OPTIONS to a trunk (RFC 3261 §11) and completes with the final status, or with 0 when
     * nothing answered (timer F, or a transport error such as a refused connection). Any status means reachable.
     */
    public java.util.concurrent.CompletableFuture<Integer> probe(SipTarget target) {
        java.util.concurrent.CompletableFuture<Integer> result = new java.util.concurrent.CompletableFuture<>();
        String callId = Branches.newCallId(transport.localAddress(TransportType.UDP).getAddress().getHostAddress());
        transactions.ownerOf(callId).execute(() -> {
            try {
                Destination dest = Destination.of(target.resolve(), target.transport());
                transactions.sendRequest(buildOptions(target, dest, callId), dest, new ClientTransactionListener() {
                    @Override
                    public void onResponse(ClientTransaction tx, SIPResponse response) {
                        if (response.getStatusCode() >= 200) result.complete(response.getStatusCode());
                    }

                    @Override
                    public void onTimeout(ClientTransaction tx) { result.complete(0); }

                    @Override
                    public void onTransportError(ClientTransaction tx, Throwable cause) { result.complete(0); }
                });
            } catch (RuntimeException e) {
                result.complete(0); // unresolvable host or no transport for it: nothing can answer
            }
        });
        return result;
    }

    private SIPRequest buildOptions(SipTarget target, Destination dest, String callId) {
        try {
            SIPRequest r = new SIPRequest();
            r.setMethod(Request.OPTIONS);
            SipUri uri = new SipUri();
            uri.setHost(target.host());
            uri.setPort(target.port());
            if (dest.transport() != TransportType.UDP) uri.setTransportParam(dest.transport().name().toLowerCase());
            r.setRequestURI(uri);
            InetSocketAddress local = transport.localAddress(dest.transport());
            r.addHeader(Vias.create(local, dest.transport()));
            r.addHeader(new MaxForwards(70));
            SipUri fromUri = new SipUri();
            fromUri.setUser("trunkline");
            fromUri.setHost(local.getAddress().getHostAddress());
            AddressImpl fromAddress = new AddressImpl();
            fromAddress.setURI(fromUri);
            From from = new From();
            from.setAddress(fromAddress);
            from.setTag(Branches.newTag());
            r.addHeader(from);
            SipUri toUri = (SipUri) uri.clone();
            toUri.removeParameter("transport");
            AddressImpl toAddress = new AddressImpl();
            toAddress.setURI(toUri);
            To to = new To();
            to.setAddress(toAddress);
            r.addHeader(to);
            r.addHeader(new CallID(callId));
            r.addHeader(new CSeq(1, Request.OPTIONS));
            r.addHeader(userAgentHeader);
            r.addHeader("Accept: application/sdp");
            return r;
        } catch (ParseException | javax.sip.InvalidArgumentException e) {
            throw new IllegalArgumentException("cannot build OPTIONS: " + e.getMessage(), e);
        }
    }

    void onInviteSent(OutboundCall call, ClientTransaction tx) {
        invitesSent.increment();
    }

    /** RFC 3261 §18.1.1: a request within 200 bytes of a 1500-byte path MTU, or over 1300 bytes, must use TCP. */
    static boolean tooBigForUdp(SIPRequest request) {
        return io.trunkline.sip.message.SipCodec.encode(request).length > UDP_MTU_LIMIT;
    }

    /** Builds the initial INVITE (RFC 3261 §8.1.1) for the given destination's transport. */
    SIPRequest buildInvite(DialRequest dial, String callId, String localTag, Destination trunk, long cseq) {
        try {
            SipTarget target = dial.trunk();
            SIPRequest r = new SIPRequest();
            r.setMethod(Request.INVITE);
            GenericURI requestUri;
            AddressImpl toAddress = new AddressImpl();
            if (dial.to().regionMatches(true, 0, "sip", 0, 3) && dial.to().indexOf(':') > 0) {
                requestUri = new StringMsgParser().parseUrl(dial.to());
            } else {
                SipUri uri = new SipUri();
                uri.setUser(dial.to());
                uri.setHost(target.host());
                uri.setPort(target.port());
                if (trunk.transport() != TransportType.UDP) uri.setTransportParam(trunk.transport().name().toLowerCase());
                requestUri = uri;
            }
            r.setRequestURI(requestUri);
            InetSocketAddress local = transport.localAddress(trunk.transport());
            r.addHeader(Vias.create(local, trunk.transport()));
            r.addHeader(new MaxForwards(70));
            SipUri fromUri = new SipUri();
            fromUri.setUser(dial.fromUser());
            fromUri.setHost(target.host());
            AddressImpl fromAddress = new AddressImpl();
            fromAddress.setURI(fromUri);
            if (dial.fromDisplay() != null) fromAddress.setDisplayName(dial.fromDisplay());
            From from = new From();
            from.setAddress(fromAddress);
            from.setTag(localTag);
            r.addHeader(from);
            SipUri toUri = (SipUri) (requestUri instanceof SipUri s ? s.clone() : requestUri);
            toUri.removeParameter("transport");
            toAddress.setURI(toUri);
            To to = new To();
            to.setAddress(toAddress);
            r.addHeader(to);
            r.addHeader(new CallID(callId));
            r.addHeader(new CSeq(cseq, Request.INVITE));
            r.addHeader(contact(local, trunk.transport(), dial.fromUser()));
            r.addHeader(userAgentHeader);
            r.addHeader("Allow: " + RequestValidator.allowValue());
            for (Map.Entry<String, String> h : dial.extraHeaders()) r.addHeader(h.getKey() + ": " + h.getValue());
            if (dial.auth() != null) {
                ChallengeResponder.Credentials c = dial.auth().preemptive(Request.INVITE, requestUri.toString());
                if (c != null) r.addHeader(c.header() + ": " + c.value());
            }
            if (dial.identity() != null) signIdentity(r, dial);
            r.setContent(dial.sdpOffer(), sdpType);
            return r;
        } catch (ParseException | javax.sip.InvalidArgumentException | ClassCastException e) {
            throw new IllegalArgumentException("cannot build INVITE: " + e.getMessage(), e);
        }
    }

    /**
     * Adds a fresh Identity header and a Date header equal to its iat (RFC 8224 §4: the verifier checks both).
     * Called for the first INVITE and for every retry, which replaces both.
     */
    static void signIdentity(SIPRequest invite, DialRequest dial) {
        IdentityProvider.Identity id = dial.identity().sign(dial.fromUser(), dial.calledUser());
        io.trunkline.sip.message.HeaderSafety.require("Identity", id.headerValue());
        invite.removeHeader("Identity");
        invite.removeHeader("Date");
        invite.addHeader("Identity: " + id.headerValue());
        invite.addHeader("Date: " + java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME.format(
                java.time.Instant.ofEpochSecond(id.iatSeconds()).atZone(java.time.ZoneOffset.UTC)));
    }

    ContentType sdpContentType() { return sdpType; }

    void addContact(SIPResponse response, TransportType type) {
        response.setHeader(contact(transport.localAddress(type), type, null));
    }

    private static Contact contact(InetSocketAddress local, TransportType type, String user) {
        SipUri uri = new SipUri();
        try {
            if (user != null) uri.setUser(user);
            uri.setHost(local.getAddress().getHostAddress());
            uri.setPort(local.getPort());
            if (type != TransportType.UDP) uri.setTransportParam(type.name().toLowerCase());
        } catch (ParseException e) {
            throw new IllegalStateException(e);
        }
        AddressImpl a = new AddressImpl();
        a.setURI(uri);
        Contact c = new Contact();
        c.setAddress(a);
        return c;
    }

    void registerDialog(Dialog dialog, Object owner) {
        dialogs.put(dialog.key(), owner);
    }

    void onCallEnded(OutboundCall call, Dialog dialog, Collection<Dialog> forks) {
        outbound.remove(call.callId(), call);
        if (dialog != null) dialogs.remove(dialog.key());
        for (Dialog f : forks) dialogs.remove(f.key());
    }

    void onInboundEnded(InboundCall call, Dialog dialog) {
        inbound.remove(call.callId(), call);
        if (dialog != null) dialogs.remove(dialog.key());
    }

    private void onInbound(InboundMessage in) {
        transactions.onInbound(in);
    }

    // ---- TransactionUser ----

    @Override
    public void onRequest(ServerTransaction tx, InboundMessage in) {
        SIPRequest request = (SIPRequest) in.message();
        String toTag = request.getTo().getTag();
        if (toTag != null) {
            Object owner = dialogs.get(Dialog.key(request.getCallId().getCallId(), toTag, request.getFrom().getTag()));
            if (owner instanceof OutboundCall call) call.onDialogRequest(tx, in);
            else if (owner instanceof InboundCall call) call.onDialogRequest(tx, in);
            else tx.sendResponse(request.createResponse(481));
            return;
        }
        switch (request.getMethod()) {
            case Request.OPTIONS -> {
                SIPResponse ok = request.createResponse(200);
                tagged(ok);
                ok.addHeader("Allow: " + RequestValidator.allowValue());
                ok.addHeader("Accept: application/sdp");
                tx.sendResponse(ok);
            }
            case Request.INVITE -> onNewInvite(tx, in);
            default -> tx.sendResponse(tagged(request.createResponse(481))); // BYE/CANCEL/ACK outside any dialog
        }
    }

    private void onNewInvite(ServerTransaction tx, InboundMessage in) {
        SIPRequest request = (SIPRequest) in.message();
        InboundCallHandler handler = inboundHandler;
        if (handler == null) {
            // a dialer takes no inbound calls: refuse cleanly rather than leave the caller retransmitting
            tx.sendResponse(tagged(request.createResponse(404, "No route for inbound calls")));
            return;
        }
        InboundCall call = new InboundCall(this, tx, in);
        tx.setApplicationData(call);
        inbound.put(call.callId(), call);
        try {
            handler.onInvite(call);
        } catch (RuntimeException e) {
            log.error("inbound handler failed for {}", call.callId(), e);
            call.reject(500, "Server Internal Error");
        }
    }

    private static SIPResponse tagged(SIPResponse r) {
        try {
            if (r.getTo().getTag() == null) r.getTo().setTag(Branches.newTag());
        } catch (ParseException e) {
            throw new IllegalStateException(e);
        }
        return r;
    }

    @Override
    public void onCancel(ServerTransaction invite, InboundMessage cancel) {
        if (invite.applicationData() instanceof InboundCall call) call.onCancel();
    }

    @Override
    public void onAck(InboundMessage ack) {
        SIPMessage m = ack.message();
        Object owner = dialogs.get(Dialog.key(m.getCallId().getCallId(), m.getTo().getTag(), m.getFrom().getTag()));
        if (owner instanceof InboundCall call) call.onAck();
    }

    @Override
    public void onStrayResponse(InboundMessage in) {
        SIPResponse r = (SIPResponse) in.message();
        if (r.getStatusCode() >= 200 && r.getStatusCode() < 300 && Request.INVITE.equals(r.getCSeq().getMethod())) {
            OutboundCall call = outbound.get(r.getCallId().getCallId());
            if (call != null) call.onStray2xx(r);
        }
    }

    @Override
    public void close() {
        transactions.close(); // stop timers first, so none fires into a closed event loop
        transport.close();
    }
}
