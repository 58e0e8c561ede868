package io.trunkline.sip.transaction;

import gov.nist.javax.sip.header.Protocol;
import gov.nist.javax.sip.header.Via;
import io.trunkline.sip.transport.TransportType;

import java.net.InetSocketAddress;
import java.text.ParseException;

/** Builds our own Via: sent-by is the socket we send from, a fresh branch, and rport (RFC 3581) always asked for. */
public final class Vias {
    private Vias() {}

    public static Via create(InetSocketAddress sentBy, TransportType transport) {
        try {
            Protocol protocol = new Protocol();
            protocol.setProtocolName("SIP");
            protocol.setProtocolVersion("2.0");
            protocol.setTransport(transport.name());
            Via via = new Via();
            via.setSentProtocol(protocol);
            via.setHost(sentBy.getAddress().getHostAddress());
            via.setPort(sentBy.getPort());
            via.setBranch(Branches.newBranch());
            via.setRPort();
            return via;
        } catch (ParseException | javax.sip.InvalidArgumentException e) {
            throw new IllegalStateException("cannot build Via for " + sentBy, e);
        }
    }
}
