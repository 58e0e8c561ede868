package io.trunkline.media.bridge;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakeException;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler.ClientHandshakeStateEvent;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import io.trunkline.media.assistant.AssistantCall;
import io.trunkline.media.assistant.AssistantOutput;
import io.trunkline.media.assistant.AssistantSession;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.security.cert.CertificateException;
import java.util.UUID;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One call's Media Streams connection.
 *
 * <p>Threads: the engine's media thread calls the {@link AssistantSession} methods; the connection's event loop
 * runs the handler. The sequence counter is written by the event loop until {@code connected} and {@code start} are
 * out, then {@link #streaming} (volatile) hands it to the media thread, which alone numbers messages from then on.
 * The media thread encodes into a {@link MessageRing} that the event loop drains into the channel, so sending a
 * frame costs the media thread no allocation and, mostly, no wake-up. {@link #close()} hands the counter back
 * through the event loop's task queue; the event loop drains the ring before it writes {@code stop}.
 */
final class MediaStreamsSession implements AssistantSession {
    private static final Logger log = LoggerFactory.getLogger(MediaStreamsSession.class);
    /** How long to wait for the assistant's answer to our close frame before dropping the TCP connection. */
    private static final long CLOSE_WAIT_MS = 1000;
    /**
     * Messages the media thread may get ahead of the event loop: 1.28 s of frames, enough for a media path catching
     * up in a burst after a pause (about 27 KB per call). The send buffer's water mark bounds the backlog after it.
     */
    private static final int RING_SLOTS = 64;
    private static final MessageRing.Sink DISCARD = (message, length) -> { };
    private static final int MAX_REASON_CHARS = 200;

    private final MediaStreamsConfig config;
    private final BridgeStats stats;
    private final AssistantCall call;
    private final AssistantOutput output;
    private final String streamSid;
    private final MediaMessageEncoder encoder;
    private final InboundMessageReader reader;
    private final MessageRing ring;
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private final Runnable drainTask = this::drainOnLoop;
    private final MessageRing.Sink writeToChannel = (message, length) -> write(this.channel, message, length);
    private final AtomicBoolean disconnectReported = new AtomicBoolean();
    private volatile Channel channel;
    private volatile boolean streaming;
    private volatile boolean closing;
    private long sequenceNumber;
    private long chunk;
    private long firstFrameIndex = -1;

    MediaStreamsSession(MediaStreamsConfig config, BridgeStats stats, AssistantCall call, AssistantOutput output) {
        this.config = config;
        this.stats = stats;
        this.call = call;
        this.output = output;
        this.streamSid = "MZ" + UUID.randomUUID().toString().replace("-", "");
        this.encoder = new MediaMessageEncoder(streamSid, FRAME_SAMPLES);
        this.reader = new InboundMessageReader(output);
        this.ring = new MessageRing(RING_SLOTS, encoder.capacity());
    }

    void connecting(ChannelFuture connect) {
        channel = connect.channel();
        connect.addListener((ChannelFutureListener) f -> {
            if (!f.isSuccess()) fail(connectFailure(f.cause()));
        });
    }

    ChannelHandler handler() {
        return new StreamHandler();
    }

    @Override
    public void onAudio(short[] pcm, int samples, long frameIndex) {
        if (!streaming) {
            if (!closing) stats.framesDroppedNotStreaming.increment();
            return;
        }
        Channel ch = channel;
        if (!ch.isWritable()) {
            // the assistant reads slower than real time: late audio is worthless to a conversation, so drop it
            // rather than queue without bound or block the media thread
            stats.framesDroppedNotWritable.increment();
            return;
        }
        if (firstFrameIndex < 0) firstFrameIndex = frameIndex;
        // from the first frame sent; a frame index that went backwards (a media path restart) must not go negative
        long timestampMs = Math.max(0, frameIndex - firstFrameIndex) * FRAME_SAMPLES * 1000 / SAMPLE_RATE;
        int length = encoder.encode(sequenceNumber + 1, chunk + 1, timestampMs, pcm, samples);
        if (!enqueue(ch, encoder.bytes(), length)) {
            stats.framesDroppedNotWritable.increment();
            return;
        }
        sequenceNumber++;
        chunk++;
        stats.framesSent.increment();
    }

    @Override
    public void onDtmf(char digit, int durationMs) {
        if (streaming) enqueueControl("dtmf " + digit, ControlMessages.dtmf(sequenceNumber + 1, streamSid, digit));
    }

    @Override
    public void onMarkPlayed(String name) {
        if (streaming) enqueueControl("mark", ControlMessages.mark(sequenceNumber + 1, streamSid, name));
    }

    @Override
    public void onEnd(String reason) {
        log.debug("call {} ended ({}); stream {} closes", call.callId(), reason, streamSid);
    }

    @Override
    public void close() {
        if (closing) return;
        closing = true;
        Channel ch = channel;
        try {
            ch.eventLoop().execute(() -> closeOnLoop(ch));
        } catch (RejectedExecutionException e) {
            ch.close(); // the bridge is already closed: its event loop has closed the connection or is doing so
        }
    }

    private void enqueueControl(String what, byte[] json) {
        if (enqueue(channel, json, json.length)) {
            sequenceNumber++;
        } else {
            stats.controlMessagesDropped.increment();
            log.warn("assistant stream {} for call {}: {} message dropped, the assistant is not reading", streamSid, call.callId(), what);
        }
    }

    /** Media thread: queues a message for the event loop, waking it only if no drain is pending already. */
    private boolean enqueue(Channel ch, byte[] message, int length) {
        if (!ring.offer(message, length)) return false;
        if (drainScheduled.compareAndSet(false, true)) {
            try {
                ch.eventLoop().execute(drainTask);
            } catch (RejectedExecutionException e) {
                drainScheduled.set(false); // the bridge was closed under a running call: nothing will read the ring
            }
        }
        return true;
    }

    /** Event loop: writes every queued message, then flushes once. */
    private void drainOnLoop() {
        drainScheduled.set(false); // before draining, so a message queued meanwhile schedules another drain
        Channel ch = channel;
        if (ring.drain(ch.isActive() ? writeToChannel : DISCARD) > 0 && ch.isActive()) ch.flush();
    }

    /** Event loop: one text message as a masked WebSocket frame. */
    private void write(Channel ch, byte[] message, int length) {
        ByteBuf frame = ch.alloc().buffer(ClientTextFrame.maxLength(length));
        ClientTextFrame.write(frame, message, length, ThreadLocalRandom.current().nextInt());
        ch.write(frame, ch.voidPromise());
    }

    private void closeOnLoop(Channel ch) {
        if (!streaming || !ch.isActive()) {
            ch.close();
            return;
        }
        streaming = false;
        ring.drain(writeToChannel); // what the media thread sent before close() goes out before stop
        byte[] stop = ControlMessages.stop(++sequenceNumber, streamSid, config.accountSid(), call.callId());
        write(ch, stop, stop.length);
        ch.writeAndFlush(new CloseWebSocketFrame(WebSocketCloseStatus.NORMAL_CLOSURE, "call ended"));
        // the assistant's close frame normally closes the connection (StreamHandler); this bounds a silent one
        ScheduledFuture<?> force = ch.eventLoop().schedule(() -> ch.close(), CLOSE_WAIT_MS, TimeUnit.MILLISECONDS);
        ch.closeFuture().addListener(f -> force.cancel(false));
    }

    /** Reports the assistant gone (once, and never for a close the engine asked for) and drops the connection. */
    private void fail(String reason) {
        if (closing) return;
        streaming = false;
        if (disconnectReported.compareAndSet(false, true)) {
            stats.disconnects.increment();
            log.warn("assistant stream {} for call {} disconnected: {}", streamSid, call.callId(), reason);
            output.disconnected(reason);
        }
        Channel ch = channel;
        if (ch != null) ch.close();
    }

    private String connectFailure(Throwable cause) {
        String url = config.redactedUrl();
        if (cause instanceof ConnectTimeoutException) {
            return "assistant at " + url + " unreachable: TCP connect timed out after " + config.connectTimeout().toMillis() + " ms";
        }
        if (cause instanceof ConnectException && String.valueOf(cause.getMessage()).contains("refused")) {
            return "assistant at " + url + " unreachable: connection refused";
        }
        if (cause instanceof UnknownHostException) return "assistant at " + url + " unreachable: unknown host";
        return "assistant at " + url + " unreachable: " + describe(cause);
    }

    private String failure(Throwable cause) {
        String url = config.redactedUrl();
        SSLException tls = find(cause, SSLException.class);
        if (tls != null) {
            String rejected = find(cause, CertificateException.class) != null
                    || String.valueOf(tls.getMessage()).contains("PKIX") ? " (server certificate rejected)" : "";
            return "TLS handshake with assistant at " + url + " failed" + rejected + ": " + tls.getMessage();
        }
        if (cause instanceof WebSocketClientHandshakeException) {
            return "assistant at " + url + " refused the WebSocket upgrade: " + cause.getMessage();
        }
        if (cause instanceof CorruptedFrameException || cause instanceof TooLongFrameException) {
            return "assistant at " + url + " broke the WebSocket protocol: " + describe(cause);
        }
        return "connection to assistant at " + url + " failed: " + describe(cause);
    }

    private static String describe(Throwable t) {
        return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + printable(t.getMessage()));
    }

    /** Text the assistant controls, made safe for a log line and a reason: no control characters, bounded. */
    static String printable(String text) {
        if (text == null) return "";
        StringBuilder b = new StringBuilder(Math.min(text.length(), MAX_REASON_CHARS));
        for (int i = 0; i < text.length() && b.length() < MAX_REASON_CHARS; i++) {
            char c = text.charAt(i);
            b.append(Character.isISOControl(c) ? ' ' : c);
        }
        return text.length() > MAX_REASON_CHARS ? b.append('…').toString() : b.toString();
    }

    private static <T extends Throwable> T find(Throwable t, Class<T> type) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (type.isInstance(c)) return type.cast(c);
        }
        return null;
    }

    /** The connection's end of the session, on its event loop. */
    private final class StreamHandler extends ChannelInboundHandlerAdapter {
        private ScheduledFuture<?> upgradeDeadline;

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            long ms = config.connectTimeout().toMillis();
            // one budget for TCP, TLS and the upgrade together, so a peer that trickles each step cannot stack them
            upgradeDeadline = ctx.executor().schedule(() -> {
                if (!streaming) fail("assistant at " + config.redactedUrl() + " did not complete the WebSocket upgrade within " + ms + " ms");
            }, ms, TimeUnit.MILLISECONDS);
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            stats.openConnections.incrementAndGet();
            ctx.fireChannelActive();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            stats.openConnections.decrementAndGet();
            upgradeDeadline.cancel(false);
            fail("connection to assistant at " + config.redactedUrl()
                    + (streaming ? " lost mid-call" : " lost before the stream started"));
            ctx.fireChannelInactive();
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt == ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
                upgraded(ctx);
            } else if (evt == ClientHandshakeStateEvent.HANDSHAKE_TIMEOUT) {
                fail("assistant at " + config.redactedUrl() + " did not answer the WebSocket upgrade within "
                        + config.connectTimeout().toMillis() + " ms");
            } else if (evt instanceof SslHandshakeCompletionEvent tls && !tls.isSuccess()) {
                fail(failure(tls.cause()));
            }
            ctx.fireUserEventTriggered(evt);
        }

        private void upgraded(ChannelHandlerContext ctx) {
            upgradeDeadline.cancel(false);
            if (closing) {
                ctx.close();
                return;
            }
            Channel ch = ctx.channel();
            byte[] connected = ControlMessages.connected();
            write(ch, connected, connected.length);
            sequenceNumber = 1;
            byte[] start = ControlMessages.start(sequenceNumber, streamSid, config.accountSid(), call);
            write(ch, start, start.length);
            // open to the media thread before start leaves: its frames queue behind start (they are drained by a
            // later task on this loop), and none is dropped by an assistant that answers start at once
            streaming = true;
            ch.flush();
            stats.streamsStarted.increment();
            log.info("assistant stream {} for call {} started at {}", streamSid, call.callId(), config.redactedUrl());
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                if (msg instanceof TextWebSocketFrame text) {
                    if (!closing) stats.count(reader.read(text.content()));
                } else if (msg instanceof CloseWebSocketFrame close) {
                    if (!closing) {
                        ctx.writeAndFlush(new CloseWebSocketFrame(WebSocketCloseStatus.NORMAL_CLOSURE));
                        String why = printable(close.reasonText());
                        fail("assistant at " + config.redactedUrl() + " closed the stream: "
                                + (close.statusCode() < 0 ? "no status" : String.valueOf(close.statusCode()))
                                + (why.isEmpty() ? "" : " " + why));
                    }
                    ctx.close();
                } else if (msg instanceof BinaryWebSocketFrame) {
                    stats.malformedMessages.increment(); // Media Streams is JSON text only
                }
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            fail(failure(cause));
            ctx.close();
        }
    }
}
