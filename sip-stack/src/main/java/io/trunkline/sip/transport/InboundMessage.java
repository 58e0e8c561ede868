package io.trunkline.sip.transport;

import gov.nist.javax.sip.message.SIPMessage;
import io.netty.channel.Channel;

import java.net.InetSocketAddress;

/**
 * A parsed message with where it came from. {@code channel} is the socket it arrived on: responses to a request
 * received over TCP must go back on the same connection (RFC 3261 §18.2.2). {@code receivedNanos} is
 * System.nanoTime() when the bytes were read, before parsing: the closest we get to the wire.
 */
public record InboundMessage(SIPMessage message, InetSocketAddress source, TransportType transport, Channel channel,
                             long receivedNanos) {}
