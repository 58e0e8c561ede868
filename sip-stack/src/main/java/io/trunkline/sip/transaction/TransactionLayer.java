package io.trunkline.sip.transaction;

import gov.nist.javax.sip.header.Via;
import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.message.SIPResponse;
import io.netty.channel.ChannelFuture;
import io.netty.channel.EventLoop;
import io.netty.util.HashedWheelTimer;
import io.netty.util.Timeout;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.trunkline.sip.message.RequestValidator;
import io.trunkline.sip.message.SipCodec;
import io.trunkline.sip.transport.InboundMessage;
import io.trunkline.sip.transport.NettySipTransport;
import io.trunkline.sip.transport.TransportType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sip.message.Request;
import java.net.InetSocketAddress;
import java.text.ParseException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * RFC 3261 §17: matches messages to transactions and runs their timers on a hashed timer wheel.
 * <p>
 * Threading: every message of a call is handled on the event loop its Call-ID hashes to, so a call's transactions,
 * dialog and UA state never see two threads. Timer expiries hop onto that loop before they touch anything.
 * <p>
 * Requests are checked against RFC 3261 §8.2 (via {@link RequestValidator}) before any state is created: a request
 * we reject is answered statelessly, so garbage never holds memory.
 */
public final class TransactionLayer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(TransactionLayer.class);

    private final NettySipTransport transport;
    private final SipTimers timers;
    private final List<EventLoop> loops;
    private final HashedWheelTimer wheel;
    private final Map<String, ClientTransaction> clients = new ConcurrentHashMap<>();
    private final Map<String, ServerTransaction> servers = new ConcurrentHashMap<>();
    private final LongAdder retransmissions = new LongAdder();
    private final LongAdder droppedResponses = new LongAdder();
    private final LongAdder rejectedRequests = new LongAdder();
    private volatile TransactionUser user;

    public TransactionLayer(NettySipTransport transport, SipTimers timers) {
        this.transport = transport;
        this.timers = timers;
        this.loops = transport.eventLoops();
        // 10 ms ticks: SIP timers are 500 ms and up, and a coarse wheel keeps insert/cancel O(1) at high call rates
        this.wheel = new HashedWheelTimer(new DefaultThreadFactory("sip-timers", true), 10, TimeUnit.MILLISECONDS, 2048);
    }

    public void setUser(TransactionUser user) { this.user = user; }

    public SipTimers timers() { return timers; }

    public NettySipTransport transport() { return transport; }

    /** The event loop that owns everything about the call with this Call-ID. */
    public EventLoop ownerOf(String callId) {
        return loops.get(Math.floorMod(callId.hashCode(), loops.size()));
    }

    public int clientCount() { return clients.size(); }

    public int serverCount() { return servers.size(); }

    public long retransmissions() { return retransmissions.sum(); }

    public long droppedResponses() { return droppedResponses.sum(); }

    public long rejectedRequests() { return rejectedRequests.sum(); }

    void countRetransmission() { retransmissions.increment(); }

    Timeout schedule(Transaction tx, long delayMs, Runnable action) {
        return schedule(tx.owner, delayMs, action);
    }

    /** Schedules work on a call's event loop after a delay, on the same wheel as the transaction timers. */
    public Timeout schedule(EventLoop owner, long delayMs, Runnable action) {
        return wheel.newTimeout(t -> {
            try {
                owner.execute(action);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                // shutting down: the loop is gone, and so is the call the timer belonged to
            }
        }, delayMs, TimeUnit.MILLISECONDS);
    }

    ChannelFuture send(byte[] bytes, Destination d) {
        return transport.send(bytes, d.address(), d.transport(), d.connection());
    }

    /** Sends outside any transaction: the ACK for a 2xx, a 2xx retransmission, a stateless reply. */
    public ChannelFuture sendStateless(SIPMessage message, Destination d) {
        return send(SipCodec.encode(message), d);
    }

    /** Starts a client transaction; call on the owner loop of the request's Call-ID. */
    public ClientTransaction sendRequest(SIPRequest request, Destination destination, ClientTransactionListener listener) {
        String key = clientKey(request.getTopmostVia().getBranch(), request.getMethod());
        EventLoop owner = ownerOf(request.getCallId().getCallId());
        ClientTransaction tx = new ClientTransaction(this, key, request, owner, destination, listener);
        clients.put(key, tx);
        tx.start();
        return tx;
    }

    void remove(Transaction tx) {
        if (tx instanceof ClientTransaction) clients.remove(tx.key, tx);
        else servers.remove(tx.key, tx);
    }

    /** Entry point from the transport, on an I/O loop: hops to the call's loop when that is another one. */
    public void onInbound(InboundMessage in) {
        EventLoop owner = ownerOf(in.message().getCallId().getCallId());
        if (owner.inEventLoop()) dispatch(in);
        else owner.execute(() -> dispatch(in));
    }

    private void dispatch(InboundMessage in) {
        TransactionUser tu = user;
        if (tu == null) return;
        if (in.message() instanceof SIPResponse response) dispatchResponse(in, response, tu);
        else dispatchRequest(in, (SIPRequest) in.message(), tu);
    }

    private void dispatchResponse(InboundMessage in, SIPResponse response, TransactionUser tu) {
        if (response.getViaHeaders().size() != 1) {
            droppedResponses.increment(); // RFC 3261 §8.1.3.3: a UA discards responses with more than one Via
            return;
        }
        String branch = response.getTopmostVia().getBranch();
        ClientTransaction tx = branch == null ? null : clients.get(clientKey(branch, response.getCSeq().getMethod()));
        if (tx != null) tx.onResponse(response);
        else tu.onStrayResponse(in);
    }

    private void dispatchRequest(InboundMessage in, SIPRequest request, TransactionUser tu) {
        String method = request.getMethod();
        stampReceived(request.getTopmostVia(), in.source(), in.transport());
        Destination replyTo = new Destination(in.source(), in.transport(),
                in.transport() == TransportType.UDP ? null : in.channel());
        RequestValidator.Verdict verdict = RequestValidator.check(request);
        if (!verdict.ok()) {
            if (!Request.ACK.equals(method)) replyStatelessly(request, verdict, replyTo);
            return;
        }
        boolean ack = Request.ACK.equals(method);
        String key = serverKey(request, ack ? Request.INVITE : method);
        ServerTransaction existing = key == null ? null : servers.get(key);
        if (ack) {
            if (existing == null || !existing.onAck()) tu.onAck(in);
            return;
        }
        if (existing != null) {
            existing.onRetransmission();
            return;
        }
        if (key == null) {
            replyStatelessly(request, new RequestValidator.Verdict(400, "Missing Via branch and sent-by", null, null), replyTo);
            return;
        }
        ServerTransaction tx = new ServerTransaction(this, key, request, ownerOf(request.getCallId().getCallId()), replyTo);
        servers.put(key, tx);
        if (Request.CANCEL.equals(method)) {
            ServerTransaction invite = servers.get(serverKey(request, Request.INVITE));
            tx.sendResponse(request.createResponse(invite == null ? 481 : 200));
            if (invite != null && invite.finalStatus() == 0) tu.onCancel(invite, in);
            return;
        }
        tu.onRequest(tx, in);
        if (tx.isInvite() && !tx.hasResponded() && !tx.isTerminated()) {
            tx.sendResponse(request.createResponse(100)); // the TU is taking its time: stop the UAC's timer A
        }
    }

    private void replyStatelessly(SIPRequest request, RequestValidator.Verdict verdict, Destination replyTo) {
        rejectedRequests.increment();
        SIPResponse response = request.createResponse(verdict.status(), verdict.reason());
        if (verdict.extraHeaderName() != null) {
            try {
                response.addHeader(verdict.extraHeaderName() + ": " + verdict.extraHeaderValue());
            } catch (RuntimeException e) {
                log.debug("could not add {} to {}", verdict.extraHeaderName(), verdict.status());
            }
        }
        if (response.getTo().getTag() == null) {
            try {
                response.getTo().setTag(Branches.newTag());
            } catch (ParseException e) {
                throw new IllegalStateException(e); // our own tags are tokens
            }
        }
        sendStateless(response, replyTo);
    }

    /**
     * RFC 3261 §18.2.1 / RFC 3581: record where the request really came from, so responses created from it carry
     * received/rport. Replies go to the source address and port in all cases (symmetric response routing), which is
     * what makes NATed and multi-homed peers work and keeps replies off hosts a forged Via names.
     */
    private static void stampReceived(Via via, InetSocketAddress source, TransportType transport) {
        String ip = source.getAddress().getHostAddress();
        try {
            if (!ip.equals(via.getHost())) via.setReceived(ip);
            if (via.hasParameter("rport")) via.setParameter("rport", Integer.toString(source.getPort()));
        } catch (ParseException | RuntimeException e) {
            log.debug("could not stamp Via from {}: {}", source, e.toString());
        }
    }

    private static String clientKey(String branch, String method) {
        return branch + '|' + method;
    }

    /** §17.2.3 matching key; RFC 2543 requests (no magic cookie) fall back to Call-ID, CSeq, From tag and sent-by. */
    private static String serverKey(SIPRequest request, String method) {
        Via via = request.getTopmostVia();
        String branch = via.getBranch();
        String sentBy = via.getHost() + ':' + via.getPort();
        if (branch != null && branch.regionMatches(true, 0, Branches.MAGIC_COOKIE, 0, Branches.MAGIC_COOKIE.length())) {
            return branch + '|' + sentBy + '|' + method;
        }
        return "2543|" + request.getCallId().getCallId() + '|' + request.getCSeq().getSeqNumber() + '|'
                + request.getFrom().getTag() + '|' + sentBy + '|' + method;
    }

    @Override
    public void close() {
        wheel.stop();
    }
}
