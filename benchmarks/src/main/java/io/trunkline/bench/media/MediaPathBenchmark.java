package io.trunkline.bench.media;

import io.trunkline.media.MediaConfig;
import io.trunkline.media.MediaEngine;
import io.trunkline.media.codec.G711Codec;
import io.trunkline.media.net.RtpSession;
import io.trunkline.media.net.RtpSessionProbe;
import io.trunkline.media.rtp.RtpPacket;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The per-packet media path of one live session, socket to socket on loopback. Each op: a peer socket sends one
 * 20 ms PCMU packet to the session's RTP port; Netty's event loop reads it (epoll), the session validates it, checks
 * the latch and copies it into the Disruptor ring, whose handler files it in the jitter buffer and RTCP statistics;
 * once it is filed, one clock tick pulls and decodes a frame, hands it to a consumer queue, reads the playout queue,
 * encodes, puts the RTP header into a pooled buffer and writes it on the event loop to the peer; the op ends when
 * the peer has read that packet. The peer uses
 * a connected JDK channel with direct buffers, which allocate nothing, so {@code gc.alloc.rate.norm} is the
 * session's own (and Netty's) per-packet figure.
 *
 * <p>{@code relatchAfterMs=1000} (the default) runs with the RTP socket connected to the latched peer;
 * {@code 0} keeps it unconnected, the baseline where every send carries its destination address.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class MediaPathBenchmark {
    @Param({"1000", "0"})
    public int relatchAfterMs;

    private MediaEngine engine;
    private RtpSession session;
    private RtpSessionProbe probe;
    private DatagramChannel peer;
    private ByteBuf header;
    private ByteBuffer out;
    private ByteBuffer in;
    private int seq;
    private long ts;

    @Setup
    public void setup() throws Exception {
        InetAddress lo = InetAddress.getLoopbackAddress();
        engine = new MediaEngine(MediaConfig.defaults(lo, 47_400, 47_499).withInactivityTimeout(Duration.ZERO)
                .withRelatchAfter(Duration.ofMillis(relatchAfterMs)));
        peer = DatagramChannel.open(StandardProtocolFamily.INET).bind(new InetSocketAddress(lo, 0));
        session = engine.openSession("bench", null);
        session.addConsumer("noop", (pcm, n, idx) -> { });
        session.start((InetSocketAddress) peer.getLocalAddress(), 0, G711Codec.PCMU, 101);
        probe = new RtpSessionProbe(session);
        peer.connect(session.localRtpAddress());
        peer.configureBlocking(false);
        out = ByteBuffer.allocateDirect(172);
        in = ByteBuffer.allocateDirect(2048);
        header = Unpooled.wrappedBuffer(out);
        for (int i = 12; i < 172; i++) out.put(i, (byte) i);
    }

    @TearDown
    public void teardown() throws Exception {
        session.close();
        engine.close();
        peer.close();
    }

    @Benchmark
    public void receiveAndSend() throws IOException {
        while (!probe.writable()) Thread.onSpinWait();
        RtpPacket.writeHeader(header, 0, 0, false, seq, ts, 0x5151L);
        seq = (seq + 1) & 0xffff;
        ts = (ts + 160) & 0xffffffffL;
        long before = probe.filed();
        out.clear();
        peer.write(out);
        while (probe.filed() == before) Thread.onSpinWait(); // read by Netty, through the ring, into the buffer
        probe.tick(System.nanoTime());
        in.clear();
        while (peer.read(in) <= 0) Thread.onSpinWait();      // this tick's packet is back at the peer
    }
}
