/**
 * RTP over UDP: the shared Netty transport ({@link io.trunkline.media.net.MediaTransport}, epoll with NIO
 * fallback), the port pool ({@link io.trunkline.media.net.RtpPortPool}) and the per-call
 * {@link io.trunkline.media.net.RtpSession} with symmetric latching, RTCP and an inactivity timeout.
 */
package io.trunkline.media.net;
