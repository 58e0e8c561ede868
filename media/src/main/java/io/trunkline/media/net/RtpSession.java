package io.trunkline.media.net;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.DatagramPacket;
import io.trunkline.media.assistant.AssistantSession;
import io.trunkline.media.codec.AudioCodec;
import io.trunkline.media.codec.NarrowbandCodec;
import io.trunkline.media.dtmf.DtmfReceiver;
import io.trunkline.media.dtmf.DtmfSender;
import io.trunkline.media.dtmf.SendDigits;
import io.trunkline.media.jitter.JitterBuffer;
import io.trunkline.media.pipeline.ConsumerTap;
import io.trunkline.media.pipeline.FrameConsumer;
import io.trunkline.media.pipeline.MediaClock;
import io.trunkline.media.pipeline.PacketEvent;
import io.trunkline.media.pipeline.PacketSink;
import io.trunkline.media.pipeline.PassFlush;
import io.trunkline.media.pipeline.PlayoutQueue;
import io.trunkline.media.record.CallRecorder;
import io.trunkline.media.rtp.PeerReport;
import io.trunkline.media.rtp.Rtcp;
import io.trunkline.media.rtp.RtpPacket;
import io.trunkline.media.rtp.RtpReceiveStats;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One call's RTP and RTCP: a port pair from the pool, symmetric RTP latching, the receive path into the media ring
 * and jitter buffer, and the 20 ms tick that delivers decoded audio to the call's consumers and sends the playout
 * queue's audio.
 *
 * <p><b>Threads.</b> Datagrams are checked and latched on the Netty I/O thread, which copies valid ones into the
 * {@link io.trunkline.media.pipeline.PacketRing}; the ring's handler thread files them into the jitter buffer and
 * the RFC 3550 receive statistics; a {@link MediaClock} shard ticks the session. Listener callbacks run on the
 * consumer pool, never on those threads.
 *
 * <p><b>Latching.</b> Media is sent to the SDP address until the first valid RTP packet (right version and a
 * negotiated payload type) arrives; from then on it is sent to, and only accepted from, that packet's source
 * address. Another source takes over only when the latched one has been silent for longer than the configured
 * re-latch time <i>and</i> the newcomer uses a different SSRC: a peer that moved (a NAT rebinding, a media server
 * switch) starts a new stream, while a stray or spoofed copy of the current stream cannot steal it. RTCP is sent
 * to the SDP port + 1 until the peer's first valid RTCP packet, then to its source; RTCP from any host other than
 * the media peer's is dropped (counted as foreign).
 *
 * <p><b>Connected socket.</b> Once latched, the RTP socket is {@code connect()}ed to the latched source: Netty then
 * writes each packet as a bare buffer (no {@code DatagramPacket} envelope, no destination address rebuilt for every
 * {@code sendto}), and the kernel itself drops datagrams from any other source, so they are no longer seen or
 * counted here; the kernel also answers them with ICMP port-unreachable, as for any port nobody listens on. When the
 * latched source has been silent for the re-latch time the socket is disconnected again, so a new stream from
 * elsewhere can be heard and take over. Datagrams another source had already queued when the socket connected are
 * read as the latched source's (Netty labels a connected socket's reads with its peer): a few packets, once, at
 * latching. With a re-latch time under {@value #MIN_CONNECTED_RELATCH_MS} ms the socket stays unconnected (any
 * source may take over at any moment).
 *
 * <p>The clock runs 8 kHz frames: a wider codec (Opus) is wrapped in a {@link NarrowbandCodec} at {@link #start}.
 */
public final class RtpSession implements PacketSink, MediaClock.Task, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RtpSession.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    public static final int MAX_PAYLOAD = PacketEvent.MAX_DATAGRAM - RtpPacket.FIXED_HEADER;
    static final int MIN_CONNECTED_RELATCH_MS = 100;

    /** Session events for the engine. Called on the consumer pool; must not block for long. */
    public interface Listener {
        /** No RTP arrived for the configured time since media started or since the last packet. */
        default void onInactive(RtpSession session, String reason) {}

        /** The peer sent an RTCP BYE. */
        default void onRemoteBye(RtpSession session) {}

        /** The attached assistant asked to end the call. */
        default void onHangupRequested(RtpSession session, String reason) {}

        /** The attached assistant's connection is gone. */
        default void onAssistantDisconnected(RtpSession session, String reason) {}
    }

    /**
     * Raw RFC 4733 telephone-event payloads, in arrival order on the ring's handler thread. The payload array is
     * reused after the call returns.
     */
    @FunctionalInterface
    public interface TelephoneEventListener {
        void onTelephoneEvent(long ssrc, int sequence, long timestamp, boolean marker,
                              byte[] payload, int offset, int length);
    }

    private enum State { OPEN, STARTED, CLOSED }

    private final String callId;
    private final SessionContext ctx;
    private final Listener listener;
    private final int rtpPort;
    private final Channel rtpChannel;
    private final Channel rtcpChannel;
    private final long ssrc;
    private final byte[] cname;
    private final PlayoutQueue playout;
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private volatile State state = State.OPEN;
    private volatile String closeReason;

    // Fixed by start(), published by the volatile write of state.
    private int payloadType;
    private int telephoneEventPt = -1;
    private AudioCodec codec;
    private JitterBuffer jitter;
    private int frameSamples;
    private int tsPerFrame;
    private short[] inPcm;
    private short[] outPcm;
    private byte[] outPayload;
    private RtpReceiveStats rxStats;
    private volatile long startNanos;

    private volatile InetSocketAddress remoteRtp;
    private volatile InetSocketAddress remoteRtcp;
    private volatile boolean rtcpLatched;

    // Latching: I/O thread.
    private volatile InetSocketAddress latched;
    private long latchedSsrc;
    private volatile long lastRtpNanos;
    /** The source the RTP socket is connect()ed to, or null while it hears every source. Written on the event loop. */
    private volatile InetSocketAddress connectedTo;
    /** A connect or disconnect task is queued on the event loop (at most one). */
    private final AtomicBoolean relinkPending = new AtomicBoolean();
    /** A source connect() refused: not tried again for it, so a failing connect costs nothing per packet. */
    private volatile InetSocketAddress connectRefused;
    private final Runnable relink = this::relink;

    // Sending: clock thread.
    private int sendSeq;
    private long sendTs;
    private boolean firstSent;
    private long nextRtcpNanos;
    private long frameIndex;
    private boolean inactiveFired;

    private final Object rxLock = new Object();
    private final PeerReport peer = new PeerReport();
    /** Packets built on the clock thread waiting for the event loop (a few, unless the loop has stalled). */
    private final SpscBufferQueue outbound = new SpscBufferQueue(8);
    private final Runnable flushOutbound = this::writeOutbound;
    private final AtomicBoolean flushScheduled = new AtomicBoolean();
    private final AtomicLong sendDropped = new AtomicLong();
    private volatile ConsumerTap[] taps = new ConsumerTap[0];
    private volatile TelephoneEventListener telephoneEvents;
    private volatile DtmfReceiver dtmfReceiver;
    private volatile AssistantSession assistant;
    private volatile ConsumerTap assistantTap;

    private final AtomicLong received = new AtomicLong();
    private final AtomicLong malformed = new AtomicLong();
    private final AtomicLong wrongPayloadType = new AtomicLong();
    private final AtomicLong unlatched = new AtomicLong();
    private final AtomicLong ringFull = new AtomicLong();
    private final AtomicLong relatches = new AtomicLong();
    private final AtomicLong rtcpReceived = new AtomicLong();
    private final AtomicLong rtcpMalformed = new AtomicLong();
    private final AtomicLong rtcpForeign = new AtomicLong();
    private volatile long packetsSent;
    private volatile long octetsSent;
    private volatile long rtcpSent;

    private RtpSession(String callId, SessionContext ctx, Listener listener) {
        this.callId = Objects.requireNonNull(callId, "callId");
        this.ctx = ctx;
        this.listener = listener == null ? new Listener() {} : listener;
        this.ssrc = RANDOM.nextInt() & 0xffffffffL;
        this.sendSeq = RANDOM.nextInt(1 << 16);
        this.sendTs = RANDOM.nextInt() & 0xffffffffL;
        this.cname = ("trunkline-" + Long.toHexString(ssrc) + "@" + ctx.bindAddress().getHostAddress())
                .getBytes(StandardCharsets.US_ASCII);
        this.playout = new PlayoutQueue(ctx.playoutCapacitySamples());
        Channel[] bound = new Channel[2];
        EventLoop loop = ctx.transport().nextLoop();
        this.rtpPort = ctx.ports().acquire(port -> {
            Channel rtp = ctx.transport().bind(loop, ctx.bindAddress(), port, new RtpInbound());
            if (rtp == null) return false;
            Channel rtcp = ctx.transport().bind(loop, ctx.bindAddress(), port + 1, new RtcpInbound());
            if (rtcp == null) {
                rtp.close().awaitUninterruptibly();
                return false;
            }
            bound[0] = rtp;
            bound[1] = rtcp;
            return true;
        });
        this.rtpChannel = bound[0];
        this.rtcpChannel = bound[1];
        ctx.stats().openSessions.incrementAndGet();
    }

    /** Binds a port pair from the pool; the session is silent until {@link #start}. */
    public static RtpSession open(String callId, SessionContext ctx, Listener listener) {
        return new RtpSession(callId, ctx, listener);
    }

    /**
     * Starts media with the negotiated parameters (from the SDP answer, or our answer to an offer). The session
     * takes ownership of {@code codec} and closes it with the session.
     *
     * @param remote                    the peer's RTP address from SDP (RTCP is assumed on port + 1)
     * @param payloadType               the audio payload type, 0..127
     * @param telephoneEventPayloadType RFC 4733 payload type 96..127, or -1 when none was negotiated
     */
    public synchronized void start(InetSocketAddress remote, int payloadType, AudioCodec codec,
                                   int telephoneEventPayloadType) {
        Objects.requireNonNull(remote, "remote");
        Objects.requireNonNull(codec, "codec");
        if (state != State.OPEN) throw new IllegalStateException("session " + callId + " is " + state);
        if (remote.isUnresolved() || remote.getPort() < 1 || remote.getPort() > 65534) {
            throw new IllegalArgumentException("remote=" + remote + ": must be a resolved address, port 1..65534");
        }
        if (payloadType < 0 || payloadType > 127) {
            throw new IllegalArgumentException("payloadType=" + payloadType + ": must be in 0..127");
        }
        if (telephoneEventPayloadType != -1
                && (telephoneEventPayloadType < 96 || telephoneEventPayloadType > 127
                    || telephoneEventPayloadType == payloadType)) {
            throw new IllegalArgumentException("telephoneEventPayloadType=" + telephoneEventPayloadType
                    + ": must be -1 or a dynamic type 96..127 other than the audio payload type");
        }
        // The clock runs 8 kHz frames; a wider codec (Opus) gets the resampling adapter here, for every caller.
        if (codec.sampleRate() != AssistantSession.SAMPLE_RATE) codec = new NarrowbandCodec(codec);
        this.payloadType = payloadType;
        this.telephoneEventPt = telephoneEventPayloadType;
        this.codec = codec;
        // Slots sized for 60 ms of 16-bit samples (any G.711 or L16 packet a peer might send), not for the largest
        // datagram: the buffer is per call.
        int slotBytes = Math.min(MAX_PAYLOAD, codec.sampleRate() / 1_000 * 60 * 2);
        this.jitter = new JitterBuffer(codec, ctx.jitterMinMs(), ctx.jitterMaxMs(), slotBytes);
        this.frameSamples = jitter.frameSamples();
        this.tsPerFrame = codec.rtpClockRate() / 50;
        this.inPcm = new short[frameSamples];
        this.outPcm = new short[frameSamples];
        this.outPayload = new byte[MAX_PAYLOAD];
        this.rxStats = new RtpReceiveStats(codec.rtpClockRate());
        if (telephoneEventPayloadType >= 0) {
            this.dtmfSender = new DtmfSender(codec.rtpClockRate(), DtmfSender.DEFAULT_GAP_MS, DtmfSender.DEFAULT_VOLUME);
        }
        this.remoteRtp = remote;
        this.remoteRtcp = new InetSocketAddress(remote.getAddress(), remote.getPort() + 1);
        long now = System.nanoTime();
        this.startNanos = now;
        this.nextRtcpNanos = now + nextRtcpInterval();
        state = State.STARTED;
        ctx.clock().add(this);
    }

    /** The queue the assistant (or a prompt player) writes outbound audio into. */
    public PlayoutQueue output() { return playout; }

    /**
     * Adds a consumer of the decoded inbound audio (the recorder, AMD), with its own bounded queue drained on the
     * consumer pool: a slow consumer loses frames (counted on the returned tap) instead of delaying anyone.
     */
    public ConsumerTap addConsumer(String name, FrameConsumer consumer) {
        return addConsumer(name, consumer, ctx.consumerQueueFrames());
    }

    /** As {@link #addConsumer(String, FrameConsumer)} with this consumer's own queue length (1..1000 frames). */
    public ConsumerTap addConsumer(String name, FrameConsumer consumer, int queueFrames) {
        ConsumerTap tap = new ConsumerTap(callId + "/" + name, consumer, queueFrames,
                AssistantSession.FRAME_SAMPLES, ctx.consumerExecutor(), ctx.stats().droppedConsumerFull);
        synchronized (this) {
            if (state == State.CLOSED) throw new IllegalStateException("session " + callId + " is closed");
            ConsumerTap[] next = Arrays.copyOf(taps, taps.length + 1);
            next[taps.length] = tap;
            taps = next;
        }
        return tap;
    }

    public synchronized void removeConsumer(ConsumerTap tap) {
        ConsumerTap[] cur = taps;
        for (int i = 0; i < cur.length; i++) {
            if (cur[i] == tap) {
                ConsumerTap[] next = new ConsumerTap[cur.length - 1];
                System.arraycopy(cur, 0, next, 0, i);
                System.arraycopy(cur, i + 1, next, i, cur.length - i - 1);
                taps = next;
                tap.close();
                return;
            }
        }
    }

    /**
     * Connects an assistant session: it receives the callee's audio as a consumer, and its marks, DTMF digits and
     * end of call are delivered on the same serial queue, so its callbacks never overlap.
     */
    public ConsumerTap attach(AssistantSession session) {
        Objects.requireNonNull(session, "session");
        if (assistant != null) throw new IllegalStateException("session " + callId + " already has an assistant");
        ConsumerTap tap = addConsumer("assistant", session::onAudio);
        assistant = session;
        assistantTap = tap;
        playout.setListener(new PlayoutQueue.Listener() {
            @Override
            public void onMarkPlayed(String name) { tap.post(() -> session.onMarkPlayed(name)); }

            @Override
            public void onHangupRequested(String reason) {
                dispatch(() -> listener.onHangupRequested(RtpSession.this, reason));
            }

            @Override
            public void onAssistantDisconnected(String reason) {
                dispatch(() -> listener.onAssistantDisconnected(RtpSession.this, reason));
            }
        });
        return tap;
    }

    /** Hands a DTMF digit (from the RFC 4733 receiver) to the attached assistant, in order with its audio. */
    public void reportDtmf(char digit, int durationMs) {
        AssistantSession s = assistant;
        ConsumerTap tap = assistantTap;
        if (s != null && tap != null) tap.post(() -> s.onDtmf(digit, durationMs));
    }

    public void setTelephoneEventListener(TelephoneEventListener l) { this.telephoneEvents = l; }

    /**
     * Decodes the peer's RFC 4733 digits (after {@link #start}, when telephone-event was negotiated) and hands each
     * to {@code listener} once, on the media ring's thread. The receiver counts on the audio's RTP clock, and voice
     * packets tell it how far the stream has got, so a digit whose end packets were all lost is still reported.
     */
    public void setDtmfListener(DtmfReceiver.Listener listener) {
        if (state != State.STARTED) throw new IllegalStateException("session " + callId + " is " + state);
        dtmfReceiver = telephoneEventPt < 0 ? null : new DtmfReceiver(codec.rtpClockRate(), listener);
    }

    // ---- receive path ---------------------------------------------------------------------------------------

    private final class RtpInbound extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext c, Object msg) {
            if (!(msg instanceof DatagramPacket p)) return;
            try {
                onRtpDatagram(p.content(), p.sender(), System.nanoTime());
            } finally {
                p.release();
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext c, Throwable cause) {
            log.debug("RTP socket error on {}: {}", callId, cause.toString());
        }
    }

    private final class RtcpInbound extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext c, Object msg) {
            if (!(msg instanceof DatagramPacket p)) return;
            try {
                onRtcpDatagram(p.content(), p.sender());
            } finally {
                p.release();
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext c, Throwable cause) {
            log.debug("RTCP socket error on {}: {}", callId, cause.toString());
        }
    }

    /** I/O thread: validate, latch, copy into the ring. */
    private void onRtpDatagram(ByteBuf buf, InetSocketAddress sender, long now) {
        received.incrementAndGet();
        ctx.stats().packetsReceived.increment();
        if (state != State.STARTED) {
            unlatched.incrementAndGet();
            ctx.stats().droppedUnlatched.increment();
            return;
        }
        if (RtpPacket.payloadOffset(buf) < 0 || buf.readableBytes() > PacketEvent.MAX_DATAGRAM) {
            malformed.incrementAndGet();
            ctx.stats().droppedMalformed.increment();
            return;
        }
        int pt = RtpPacket.payloadType(buf);
        if (pt != payloadType && pt != telephoneEventPt) {
            wrongPayloadType.incrementAndGet();
            ctx.stats().droppedMalformed.increment();
            return;
        }
        long packetSsrc = RtpPacket.ssrc(buf);
        InetSocketAddress current = latched;
        if (current == null || (!current.equals(sender) && now - lastRtpNanos > ctx.relatchAfterNanos()
                && packetSsrc != latchedSsrc)) {
            if (current != null) relatches.incrementAndGet();
            latched = sender;
            remoteRtp = sender;
        } else if (!current.equals(sender)) {
            unlatched.incrementAndGet();
            ctx.stats().droppedUnlatched.increment();
            return;
        }
        latchedSsrc = packetSsrc;
        lastRtpNanos = now;
        if (connectedTo == null && ctx.relatchAfterNanos() >= MIN_CONNECTED_RELATCH_MS * 1_000_000L
                && !sender.equals(connectRefused)) {
            requestRelink();
        }
        if (!ctx.ring().offer(this, buf, now)) ringFull.incrementAndGet();
    }

    @Override
    public void onRingPacket(PacketEvent e) {
        if (state != State.STARTED) return;
        ByteBuf v = e.view();
        int off = RtpPacket.payloadOffset(v);
        int len = RtpPacket.payloadLength(v, off);
        int pt = RtpPacket.payloadType(v);
        int seq = RtpPacket.sequence(v);
        long ts = RtpPacket.timestamp(v);
        long packetSsrc = RtpPacket.ssrc(v);
        boolean event = pt == telephoneEventPt;
        synchronized (rxLock) {
            rxStats.update(packetSsrc, seq, ts, e.arrivalNanos(), !event);
        }
        DtmfReceiver digits = dtmfReceiver;
        if (digits != null) {
            if (event) digits.onPacket((int) ts, e.data(), off, len);
            else digits.onTimestamp((int) ts);
        }
        if (event) {
            TelephoneEventListener l = telephoneEvents;
            if (l != null) {
                try {
                    l.onTelephoneEvent(packetSsrc, seq, ts, RtpPacket.marker(v), e.data(), off, len);
                } catch (RuntimeException ex) {
                    // A faulty DTMF decoder must not cost the packet its place in the jitter buffer.
                    log.warn("telephone-event listener on {} failed", callId, ex);
                }
            }
        }
        jitter.insert(packetSsrc, seq, ts, e.data(), off, len, e.arrivalNanos(), event);
    }

    private void onRtcpDatagram(ByteBuf buf, InetSocketAddress sender) {
        ctx.stats().rtcpReceived.increment();
        rtcpReceived.incrementAndGet();
        if (state != State.STARTED) return;
        // RTCP is taken only from the media peer's host (the latched RTP source, or the SDP address before media
        // arrives), so a stray or forged BYE from elsewhere cannot end the call.
        InetSocketAddress peerRtp = latched != null ? latched : remoteRtp;
        if (!peerRtp.getAddress().equals(sender.getAddress())) {
            rtcpForeign.incrementAndGet();
            return;
        }
        long nowNanos = System.nanoTime();
        long ntp = Rtcp.ntpTime(System.currentTimeMillis() * 1_000_000L);
        boolean hadBye = peer.byeReceived();
        if (!Rtcp.parse(buf, ssrc, nowNanos, ntp, peer)) {
            rtcpMalformed.incrementAndGet();
            ctx.stats().rtcpMalformed.increment();
            return;
        }
        if (!rtcpLatched) {
            rtcpLatched = true;
            remoteRtcp = sender;
        }
        if (!hadBye && peer.byeReceived()) dispatch(() -> listener.onRemoteBye(this));
    }

    // ---- DTMF out, recording ----

    private final ConcurrentLinkedQueue<SendDigits> pendingDigits =
            new ConcurrentLinkedQueue<>();
    /** At the audio codec's RTP clock (set by start): events share the stream's timestamp line. */
    private DtmfSender dtmfSender;
    private final byte[] dtmfPayload = new byte[4];
    private volatile CallRecorder recorder;

    /**
     * Queues RFC 4733 digits (any thread). They go out on the media clock as telephone-event packets, which replace
     * the voice packets while a tone sounds, on the same sequence and timestamp line.
     *
     * @throws IllegalStateException when media has not started or no telephone-event was negotiated
     * @throws IllegalArgumentException when a tone is too long for the event duration field at the stream's clock rate
     */
    public void sendDigits(SendDigits digits) {
        if (state != State.STARTED) throw new IllegalStateException("session " + callId + " is " + state);
        if (telephoneEventPt < 0) throw new IllegalStateException("no telephone-event was negotiated for " + callId);
        DtmfSender.checkFits(digits, codec.rtpClockRate()); // here, on the caller's thread, not on the media clock
        pendingDigits.add(digits);
    }

    /** Records both directions from the clock thread (callee after the jitter buffer | what we sent); null stops. */
    public void setRecorder(CallRecorder r) { recorder = r; }

    /** Clock thread: sends this tick's telephone-event packet instead of voice when one is due. */
    private boolean sendDtmf(long deadlineNanos) {
        if (dtmfSender == null) return false;
        SendDigits next;
        while ((next = pendingDigits.poll()) != null) dtmfSender.send(next);
        if (dtmfSender.isIdle() || !dtmfSender.tick((int) sendTs, dtmfPayload, 0)) return false;
        send(packet(telephoneEventPt, dtmfSender.marker(), dtmfSender.timestamp() & 0xffffffffL, dtmfPayload, dtmfPayload.length),
                dtmfPayload.length, deadlineNanos);
        return true;
    }

    // ---- clock tick -----------------------------------------------------------------------------------------

    @Override
    public void tick(long deadlineNanos) {
        if (state != State.STARTED) return;
        ctx.stats().tickLateness.record(System.nanoTime() - deadlineNanos);
        jitter.pull(inPcm);
        long index = frameIndex++;
        for (ConsumerTap tap : taps) tap.offer(inPcm, frameSamples, index);
        playout.read(outPcm, frameSamples);
        CallRecorder rec = recorder;
        if (rec != null) rec.offer(inPcm, outPcm);
        if (!sendDtmf(deadlineNanos)) sendRtp(deadlineNanos);
        if (deadlineNanos - nextRtcpNanos >= 0) {
            sendRtcp(false);
            nextRtcpNanos = deadlineNanos + nextRtcpInterval();
        }
        checkInactivity(deadlineNanos);
        if (connectedTo != null && deadlineNanos - lastRtpNanos > ctx.relatchAfterNanos()) requestRelink();
    }

    private void requestRelink() {
        if (relinkPending.compareAndSet(false, true)) rtpChannel.eventLoop().execute(relink);
    }

    /**
     * Event loop: connects the RTP socket to the latched source, or disconnects it once that source has been silent
     * for the re-latch time, so another may be heard. Decided here, not where it was asked for, from the state now.
     */
    private void relink() {
        relinkPending.set(false);
        if (state != State.STARTED || !rtpChannel.isOpen()) return;
        InetSocketAddress source = latched;
        boolean silent = System.nanoTime() - lastRtpNanos > ctx.relatchAfterNanos();
        InetSocketAddress current = connectedTo;
        if (current != null && (silent || !current.equals(source))) {
            connectedTo = null;
            rtpChannel.disconnect();
        } else if (current == null && source != null && !silent) {
            // UDP connect is immediate: the future is done when connect returns, here on the channel's loop.
            var f = rtpChannel.connect(source);
            if (f.isSuccess()) {
                connectedTo = source;
            } else {
                connectRefused = source; // stays unconnected for this source: correct, only not allocation-free
                log.debug("RTP socket of {} could not connect to {}: {}", callId, source, f.cause() == null ? "?" : f.cause().toString());
            }
        }
    }

    private void sendRtp(long deadlineNanos) {
        int n = codec.encode(outPcm, frameSamples, outPayload, 0);
        send(packet(payloadType, !firstSent, sendTs, outPayload, n), n, deadlineNanos);
    }

    /** A pooled buffer holding one RTP packet of this stream: the next sequence number, our SSRC. */
    private ByteBuf packet(int pt, boolean marker, long timestamp, byte[] payload, int n) {
        ByteBuf b = rtpChannel.alloc().directBuffer(RtpPacket.FIXED_HEADER + n);
        RtpPacket.writeHeader(b, 0, pt, marker, sendSeq, timestamp, ssrc);
        b.setBytes(RtpPacket.FIXED_HEADER, payload, 0, n);
        b.writerIndex(RtpPacket.FIXED_HEADER + n);
        return b;
    }

    /**
     * Hands a built packet (voice or telephone-event, so both keep their order) to the event loop and advances the
     * stream. A packet the loop is too far behind to take is dropped but still consumes its sequence number and
     * timestamp, so the peer sees it as lost rather than as a jump.
     */
    private void send(ByteBuf packet, int payloadBytes, long deadlineNanos) {
        if (outbound.offer(packet, deadlineNanos)) {
            // One pending flush task at most: when the loop lags, later packets ride on the task already queued.
            if (flushScheduled.compareAndSet(false, true)) {
                PassFlush pass = PassFlush.current();
                if (pass != null) pass.add(rtpChannel.eventLoop(), flushOutbound); // one wake-up per loop per pass
                else rtpChannel.eventLoop().execute(flushOutbound);
            }
            packetsSent++;
            octetsSent += payloadBytes;
            ctx.stats().packetsSent.increment();
        } else {
            packet.release();
            sendDropped.incrementAndGet();
        }
        firstSent = true;
        sendSeq = (sendSeq + 1) & 0xffff;
        sendTs = (sendTs + tsPerFrame) & 0xffffffffL;
    }

    /**
     * Runs on the RTP channel's event loop: writing there, rather than from the clock thread, spares Netty a write
     * task object per packet; once the socket is connected to the latched source the packet goes as a bare buffer,
     * with no envelope or destination address to build.
     */
    private void writeOutbound() {
        flushScheduled.set(false);
        ByteBuf b;
        boolean wrote = false;
        while ((b = outbound.poll()) != null) {
            // Send-time error: when the packet is handed to the socket, against the 20 ms grid it was built for.
            ctx.stats().sendTime.record(System.nanoTime() - outbound.polledDeadline());
            InetSocketAddress to = remoteRtp;
            rtpChannel.write(to.equals(connectedTo) ? b : new DatagramPacket(b, to), rtpChannel.voidPromise());
            wrote = true;
        }
        if (wrote) rtpChannel.flush();
    }

    private void sendRtcp(boolean bye) {
        ByteBuf b = rtcpChannel.alloc().directBuffer(128);
        long ntp = Rtcp.ntpTime(System.currentTimeMillis() * 1_000_000L);
        long lsr = peer.lastSrMiddle();
        long sinceSr = lsr == 0 ? 0 : System.nanoTime() - peer.lastSrArrivalNanos();
        synchronized (rxLock) {
            Rtcp.writeSenderReport(b, ssrc, ntp, sendTs, packetsSent, octetsSent, rxStats, lsr, sinceSr);
        }
        Rtcp.writeSdesCname(b, ssrc, cname);
        if (bye) Rtcp.writeBye(b, ssrc);
        rtcpChannel.writeAndFlush(new DatagramPacket(b, remoteRtcp), rtcpChannel.voidPromise());
        rtcpSent++;
    }

    private long nextRtcpInterval() {
        // RFC 3550 §6.3.1: randomise to 0.5..1.5 of the interval so sessions started together do not report together.
        return (long) (ctx.rtcpIntervalNanos() * (0.5 + ThreadLocalRandom.current().nextDouble()));
    }

    private void checkInactivity(long now) {
        long timeout = ctx.inactivityTimeoutNanos();
        if (timeout <= 0 || inactiveFired) return;
        boolean seen = latched != null; // latched is set by the first valid packet and never cleared
        long since = now - (seen ? lastRtpNanos : startNanos);
        if (since <= timeout) return;
        inactiveFired = true;
        ctx.stats().inactivityTimeouts.increment();
        long ms = timeout / 1_000_000;
        String reason = seen
                ? "media inactivity: no RTP from " + latched + " for more than " + ms + " ms"
                : "media inactivity: no RTP received within " + ms + " ms of media start (SDP address "
                    + remoteRtp + ")";
        dispatch(() -> listener.onInactive(this, reason));
    }

    private void dispatch(Runnable r) {
        try {
            ctx.consumerExecutor().execute(r);
        } catch (RejectedExecutionException e) {
            r.run();
        }
    }

    /** Benchmark hook: takes the session off the media clock so a harness can call {@link #tick} itself. */
    void detachFromClock() { ctx.clock().remove(this); }

    /** Test hooks: the event loops the session's two sockets run on. */
    EventLoop rtpLoop() { return rtpChannel.eventLoop(); }

    EventLoop rtcpLoop() { return rtcpChannel.eventLoop(); }

    /** Benchmark hook: packets filed in the jitter buffer so far (the receive path's last step). */
    long filedCount() { JitterBuffer jb = jitter; return jb == null ? 0 : jb.received(); }

    /** Benchmark hook: true when every packet built so far has been handed to the socket. */
    boolean rtpWritable() { return outbound.isEmpty() && rtpChannel.isWritable(); }

    /** Test hook: the next packet's sequence number and timestamp (to exercise the 16- and 32-bit wraps). */
    synchronized void setSendCounters(int sequence, long timestamp) {
        sendSeq = sequence & 0xffff;
        sendTs = timestamp & 0xffffffffL;
    }

    // ---- close ----------------------------------------------------------------------------------------------

    @Override
    public void close() { close("closed"); }

    /**
     * Stops the clock for this session, sends an RTCP BYE (when media had started), ends the assistant with
     * {@code reason}, closes both sockets and returns the port pair to the pool. Blocks until the sockets are
     * closed unless called on a media I/O thread; the returned future completes when the ports are released.
     */
    public CompletableFuture<Void> close(String reason) {
        boolean wasStarted;
        synchronized (this) {
            if (state == State.CLOSED) return closed;
            wasStarted = state == State.STARTED;
            state = State.CLOSED;
            closeReason = reason;
        }
        if (wasStarted) {
            ctx.clock().remove(this);
            try {
                sendRtcp(true);
            } catch (RuntimeException e) {
                log.debug("RTCP BYE on {} failed: {}", callId, e.toString());
            }
        }
        AssistantSession s = assistant;
        ConsumerTap aTap = assistantTap;
        for (ConsumerTap tap : taps) tap.close();
        if (s != null && aTap != null) {
            aTap.post(() -> s.onEnd(reason));
            aTap.post(s::close);
        }
        rtpChannel.eventLoop().execute(outbound::releaseAll);
        AtomicInteger remaining = new AtomicInteger(2);
        Runnable released = () -> {
            if (remaining.decrementAndGet() == 0) {
                ctx.ports().release(rtpPort);
                ctx.stats().openSessions.decrementAndGet();
                if (codec != null) codec.close();
                closed.complete(null);
            }
        };
        rtpChannel.close().addListener(f -> released.run());
        rtcpChannel.close().addListener(f -> released.run());
        if (!rtpChannel.eventLoop().inEventLoop() && !rtcpChannel.eventLoop().inEventLoop()) closed.join();
        return closed;
    }

    // ---- inspection -----------------------------------------------------------------------------------------

    public String callId() { return callId; }

    public int localRtpPort() { return rtpPort; }

    public InetSocketAddress localRtpAddress() { return (InetSocketAddress) rtpChannel.localAddress(); }

    public long ssrc() { return ssrc; }

    public boolean isClosed() { return state == State.CLOSED; }

    public String closeReason() { return closeReason; }

    /** Where RTP goes now: the SDP address until latching, then the latched source. */
    public InetSocketAddress remoteRtpAddress() { return remoteRtp; }

    public InetSocketAddress remoteRtcpAddress() { return remoteRtcp; }

    /** The source RTP is accepted from, or null before the first valid packet. */
    public InetSocketAddress latchedSource() { return latched; }

    public PeerReport.Snapshot peerReport() { return peer.snapshot(); }

    public RtpSessionStats stats() {
        long expected;
        int cumulativeLost;
        double rxJitterMs;
        synchronized (rxLock) {
            expected = rxStats == null ? 0 : rxStats.expected();
            cumulativeLost = rxStats == null ? 0 : rxStats.cumulativeLost();
            rxJitterMs = rxStats == null ? 0 : rxStats.jitterMs();
        }
        JitterBuffer jb = jitter;
        long consumerDrops = 0;
        for (ConsumerTap t : taps) consumerDrops += t.dropped();
        return new RtpSessionStats(received.get(), malformed.get(), wrongPayloadType.get(), unlatched.get(),
                ringFull.get(), relatches.get(), packetsSent, octetsSent, rtcpReceived.get(), rtcpMalformed.get(),
                rtcpForeign.get(), rtcpSent, expected, cumulativeLost, rxJitterMs,
                jb == null ? 0 : jb.depth(), jb == null ? 0 : jb.targetDepth(), jb == null ? 0 : jb.played(),
                jb == null ? 0 : jb.late(), jb == null ? 0 : jb.duplicates(), jb == null ? 0 : jb.discarded(),
                jb == null ? 0 : jb.lost(), jb == null ? 0 : jb.concealed(), jb == null ? 0 : jb.resyncs(),
                consumerDrops, playout.droppedWrites(), sendDropped.get());
    }
}
