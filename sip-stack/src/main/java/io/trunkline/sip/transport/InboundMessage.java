package io.trunkline.sip.transport;

import gov.nist.javax.sip.message.SIPMessage;
import io.netty.channel.Channel;

import java.net.InetSocketAddress;

/**
 * A parsed message with where it came from. {@code channel} is the socket it arrived on: responses to a request
 * received over TCP must go back on the same connection (RFC 3261 §18.2.2).
 */
public record InboundMessage(SIPMessage message, InetSocketAddress source, TransportType transport, Channel channel) {}
