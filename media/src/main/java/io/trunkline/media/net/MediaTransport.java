package io.trunkline.media.net;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.trunkline.media.pipeline.PacketEvent;
import java.net.InetAddress;
import java.util.concurrent.TimeUnit;

/**
 * The UDP transport every media socket shares: one small event loop group (epoll where the kernel offers it, NIO
 * otherwise) and a bootstrap with a receive buffer sized for bursts (the ~212 KB default dropped a 2,000-packet
 * burst here).
 */
public final class MediaTransport implements AutoCloseable {
    private final EventLoopGroup group;
    private final Class<? extends DatagramChannel> channelType;
    private final int receiveBufferBytes;
    private final boolean epoll;

    /**
     * @param ioThreads          event loop threads, 1..64
     * @param receiveBufferBytes SO_RCVBUF per socket, 8192..16777216 (the kernel caps it at rmem_max)
     */
    public MediaTransport(int ioThreads, int receiveBufferBytes) {
        if (ioThreads < 1 || ioThreads > 64) {
            throw new IllegalArgumentException("media ioThreads=" + ioThreads + ": must be in 1..64");
        }
        if (receiveBufferBytes < 8192 || receiveBufferBytes > 16 << 20) {
            throw new IllegalArgumentException("media receiveBufferBytes=" + receiveBufferBytes
                    + ": must be in 8192..16777216");
        }
        this.epoll = Epoll.isAvailable();
        DefaultThreadFactory threads = new DefaultThreadFactory("media-io", true, Thread.MAX_PRIORITY);
        this.group = new MultiThreadIoEventLoopGroup(ioThreads, threads,
                epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
        this.channelType = epoll ? EpollDatagramChannel.class : NioDatagramChannel.class;
        this.receiveBufferBytes = receiveBufferBytes;
    }

    public boolean isEpoll() { return epoll; }

    /**
     * The event loop for the next session's sockets. A session's RTP and RTCP share one loop and sessions take the
     * loops in turn: binding each socket on the group's own round robin put every RTP socket on one loop and every
     * RTCP socket on the other, which left one loop with all the packets.
     */
    EventLoop nextLoop() { return group.next(); }

    /** Binds one UDP socket on {@code loop} (reads one byte past the largest accepted datagram so oversize ones are
     * seen, not silently truncated); returns null when the port cannot be bound (in use by another process). */
    Channel bind(EventLoop loop, InetAddress address, int port, ChannelHandler handler) {
        Bootstrap b = new Bootstrap()
                .group(loop)
                .channel(channelType)
                .option(ChannelOption.SO_RCVBUF, receiveBufferBytes)
                // A session connect()s its RTP socket to the latched source and may disconnect it again; without this,
                // Netty's epoll channel counts itself inactive after a disconnect and fails every later write.
                .option(ChannelOption.DATAGRAM_CHANNEL_ACTIVE_ON_REGISTRATION, true)
                .option(ChannelOption.RECVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(PacketEvent.MAX_DATAGRAM + 1))
                .handler(handler);
        ChannelFuture f = b.bind(address, port).awaitUninterruptibly();
        return f.isSuccess() ? f.channel() : null;
    }

    @Override
    public void close() {
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }
}
