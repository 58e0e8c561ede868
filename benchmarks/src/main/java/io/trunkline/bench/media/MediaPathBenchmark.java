package io.trunkline.bench.media;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.trunkline.media.MediaConfig;
import io.trunkline.media.MediaEngine;
import io.trunkline.media.codec.G711Codec;
import io.trunkline.media.net.RtpSession;
import io.trunkline.media.net.RtpSessionProbe;
import io.trunkline.media.rtp.RtpPacket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The per-packet media path of one live session on real loopback sockets: the I/O thread's receive step for one
 * 20 ms PCMU packet (validate, latch check, copy into the Disruptor ring; the ring's handler thread then files it in
 * the jitter buffer and RTCP statistics) plus one clock tick (jitter pull and decode, delivery to a consumer queue,
 * playout read, encode, RTP header into a pooled buffer, Netty write to the peer's socket). The harness waits for
 * Netty's outbound buffer to drain below its high-water mark before each packet, so the figure is bounded by the
 * real send rather than by queueing.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class MediaPathBenchmark {
    private MediaEngine engine;
    private RtpSession session;
    private RtpSessionProbe probe;
    private DatagramChannel peer;
    private InetSocketAddress peerAddress;
    private ByteBuf packet;
    private int seq;
    private long ts;

    @Setup
    public void setup() throws Exception {
        InetAddress lo = InetAddress.getLoopbackAddress();
        engine = new MediaEngine(MediaConfig.defaults(lo, 47_400, 47_499).withInactivityTimeout(Duration.ZERO));
        peer = DatagramChannel.open(StandardProtocolFamily.INET).bind(new InetSocketAddress(lo, 0));
        peerAddress = (InetSocketAddress) peer.getLocalAddress();
        session = engine.openSession("bench", null);
        session.addConsumer("noop", (pcm, n, idx) -> { });
        session.start(peerAddress, 0, G711Codec.PCMU, 101);
        probe = new RtpSessionProbe(session);
        packet = Unpooled.directBuffer(172);
        packet.writerIndex(172);
        for (int i = 12; i < 172; i++) packet.setByte(i, i);
    }

    @TearDown
    public void teardown() throws Exception {
        session.close();
        engine.close();
        peer.close();
        packet.release();
    }

    @Benchmark
    public void receiveAndSend() {
        while (!probe.writable()) Thread.onSpinWait();
        RtpPacket.writeHeader(packet, 0, 0, false, seq, ts, 0x5151L);
        seq = (seq + 1) & 0xffff;
        ts = (ts + 160) & 0xffffffffL;
        packet.readerIndex(0);
        long now = System.nanoTime();
        probe.receive(packet, peerAddress, now);
        probe.tick(now);
    }
}
