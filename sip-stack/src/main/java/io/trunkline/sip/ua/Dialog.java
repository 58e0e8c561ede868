package io.trunkline.sip.ua;

import gov.nist.javax.sip.address.AddressImpl;
import gov.nist.javax.sip.address.SipUri;
import gov.nist.javax.sip.header.CSeq;
import gov.nist.javax.sip.header.CallID;
import gov.nist.javax.sip.header.From;
import gov.nist.javax.sip.header.MaxForwards;
import gov.nist.javax.sip.header.Route;
import gov.nist.javax.sip.header.RouteList;
import gov.nist.javax.sip.header.To;
import gov.nist.javax.sip.header.Via;
import gov.nist.javax.sip.message.SIPRequest;
import io.trunkline.sip.transaction.Branches;
import io.trunkline.sip.transaction.Destination;
import io.trunkline.sip.transaction.Vias;
import io.trunkline.sip.transport.TransportType;

import javax.sip.address.URI;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * An RFC 3261 §12 dialog: the state that in-dialog requests are built from (tags, CSeq, remote target, route set).
 * Owned by one call and touched only on its event loop.
 */
final class Dialog {
    final String callId;
    final String localTag;
    final String remoteTag;
    private final AddressImpl localAddress;
    private final AddressImpl remoteAddress;
    private final URI remoteTarget;
    private final List<Route> routeSet;
    private final Destination fallback;
    private long localSeq;
    private final InetSocketAddress localSentBy;
    private final TransportType transport;

    Dialog(String callId, String localTag, String remoteTag, AddressImpl localAddress, AddressImpl remoteAddress,
           URI remoteTarget, List<Route> routeSet, long localSeq, Destination fallback, InetSocketAddress localSentBy) {
        this.callId = callId;
        this.localTag = localTag;
        this.remoteTag = remoteTag;
        this.localAddress = localAddress;
        this.remoteAddress = remoteAddress;
        this.remoteTarget = remoteTarget;
        this.routeSet = routeSet;
        this.localSeq = localSeq;
        this.fallback = fallback;
        this.localSentBy = localSentBy;
        this.transport = fallback.transport();
    }

    String key() { return key(callId, localTag, remoteTag); }

    static String key(String callId, String localTag, String remoteTag) {
        return callId + '|' + localTag + '|' + remoteTag;
    }

    /** Builds a new in-dialog request with the next CSeq (RFC 3261 §12.2.1.1). */
    SIPRequest newRequest(String method) {
        return build(method, ++localSeq, Branches.newBranch());
    }

    /** The ACK for a 2xx: same CSeq number as the INVITE, new branch (RFC 3261 §13.2.2.4). */
    SIPRequest ack(long inviteSeq) {
        return build("ACK", inviteSeq, Branches.newBranch());
    }

    private SIPRequest build(String method, long seq, String branch) {
        try {
            SIPRequest r = new SIPRequest();
            r.setMethod(method);
            r.setRequestURI((URI) remoteTarget.clone());
            Via via = Vias.create(localSentBy, transport);
            via.setBranch(branch);
            r.addHeader(via);
            r.addHeader(new MaxForwards(70));
            From from = new From();
            from.setAddress((AddressImpl) localAddress.clone());
            from.setTag(localTag);
            r.addHeader(from);
            To to = new To();
            to.setAddress((AddressImpl) remoteAddress.clone());
            // RFC 3261 §12.1.1 / §12.2.1.1: an RFC 2543 peer sends no tag; it is a null tag and the request has none
            if (remoteTag != null) to.setTag(remoteTag);
            r.addHeader(to);
            r.addHeader(new CallID(callId));
            CSeq cseq = new CSeq(seq, method);
            r.addHeader(cseq);
            if (!routeSet.isEmpty()) {
                RouteList routes = new RouteList();
                for (Route route : routeSet) routes.add((Route) route.clone());
                r.addHeader(routes);
            }
            return r;
        } catch (ParseException | javax.sip.InvalidArgumentException e) {
            throw new IllegalStateException("cannot build in-dialog " + method, e);
        }
    }

    /**
     * Where in-dialog requests go: the first route when there is a route set (loose routing), else the remote
     * target; an unresolvable host falls back to the address the dialog was set up through.
     */
    Destination destination() {
        URI next = routeSet.isEmpty() ? remoteTarget : routeSet.get(0).getAddress().getURI();
        if (next instanceof SipUri sip) {
            String host = sip.getHost();
            int port = sip.getPort() > 0 ? sip.getPort() : 5060;
            try {
                InetAddress address = InetAddress.getByName(host.startsWith("[") ? host.substring(1, host.length() - 1) : host);
                if (address.isLoopbackAddress() || !fallback.address().getAddress().isLoopbackAddress()) {
                    return new Destination(new InetSocketAddress(address, port), transport, fallback.connection());
                }
            } catch (UnknownHostException e) {
                // fall through: use the address the dialog was set up through
            }
        }
        return fallback;
    }

    static List<Route> routeSetFromRecordRoute(javax.sip.message.Message message, boolean reverse) {
        List<Route> routes = new ArrayList<>();
        var it = message.getHeaders(javax.sip.header.RecordRouteHeader.NAME);
        while (it.hasNext()) {
            gov.nist.javax.sip.header.RecordRoute rr = (gov.nist.javax.sip.header.RecordRoute) it.next();
            Route route = new Route();
            route.setAddress((AddressImpl) ((AddressImpl) rr.getAddress()).clone());
            var names = rr.getParameterNames();
            while (names.hasNext()) {
                String n = (String) names.next();
                try {
                    route.setParameter(n, rr.getParameter(n));
                } catch (ParseException ignored) {
                    // a parameter that parsed once re-parses
                }
            }
            routes.add(route);
        }
        if (reverse) java.util.Collections.reverse(routes);
        return routes;
    }
}
