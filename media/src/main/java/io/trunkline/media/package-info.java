/**
 * Media: RTP/RTCP over Netty, the port pool, the jitter buffer, codecs (G.711, Opus, L16), RFC 4733 DTMF,
 * recording and the Disruptor media path that carries 20 ms frames between a call and its consumers.
 * Knows nothing of SIP: the engine hands it negotiated addresses and payload types.
 */
package io.trunkline.media;
