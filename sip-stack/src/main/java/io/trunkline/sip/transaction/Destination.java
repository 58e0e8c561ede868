package io.trunkline.sip.transaction;

import io.netty.channel.Channel;
import io.trunkline.sip.transport.TransportType;

import java.net.InetSocketAddress;

/**
 * Where a message goes: the address, the transport and, for a response or a request on an existing stream, the
 * connection to reuse.
 */
public record Destination(InetSocketAddress address, TransportType transport, Channel connection) {
    public static Destination of(InetSocketAddress address, TransportType transport) {
        return new Destination(address, transport, null);
    }

    public boolean reliable() { return transport.reliable(); }
}
