/**
 * The Twilio Media Streams WebSocket bridge: {@link io.trunkline.media.bridge.MediaStreamsBridge} implements the
 * assistant SPI for voice-AI agents that run as separate services and speak Media Streams (JSON text frames with
 * base64 μ-law audio), over ws:// or wss:// with Netty's WebSocket client.
 */
package io.trunkline.media.bridge;
