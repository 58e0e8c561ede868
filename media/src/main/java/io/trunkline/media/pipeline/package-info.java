/**
 * The media path between sockets and a call's consumers, and the threads it runs on:
 * <ul>
 *   <li>Netty I/O threads validate each datagram and copy it into the {@link io.trunkline.media.pipeline.PacketRing}
 *       (a Disruptor ring; a full ring drops and counts, it never blocks the I/O thread);</li>
 *   <li>one ring handler thread files packets into their session's jitter buffer;</li>
 *   <li>the {@link io.trunkline.media.pipeline.MediaClock} shards tick every session at absolute 20 ms deadlines:
 *       pull and decode one frame, copy it into each consumer's bounded
 *       {@link io.trunkline.media.pipeline.ConsumerTap}, read 20 ms from the
 *       {@link io.trunkline.media.pipeline.PlayoutQueue}, encode and hand the packet to the socket's event loop;</li>
 *   <li>a small {@link io.trunkline.media.pipeline.WorkerPool} drains consumer taps, so a slow consumer loses its
 *       own frames and nobody else's.</li>
 * </ul>
 * Nothing on these paths allocates per packet or frame in this code; Netty's epoll datagram send still does.
 */
package io.trunkline.media.pipeline;
