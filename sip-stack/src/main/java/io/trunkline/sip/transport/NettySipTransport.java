package io.trunkline.sip.transport;

import gov.nist.javax.sip.message.SIPMessage;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;
import io.trunkline.sip.message.SipCodec;
import io.trunkline.sip.message.SipParseException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * SIP over Netty: UDP sockets (one per event loop sharing the port via SO_REUSEPORT under epoll, so receive work
 * spreads over the loops) and TCP with Content-Length framing, inbound and outbound. Every inbound message is parsed
 * on the loop that read it; bytes that do not parse are counted and answered statelessly (400/505) when they were a
 * request with a Via, else dropped. Nothing here keeps state for a message that did not parse.
 */
public final class NettySipTransport implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(NettySipTransport.class);

    /** The largest UDP payload over IPv4: SIP allows messages up to it (RFC 3261 §18.1.1 only prefers TCP above 1300). */
    private static final int MAX_UDP_PAYLOAD = 65_507;
    private static final int RECVMMSG_BATCH = 8;

    private final TransportConfig config;
    private final InboundListener listener;
    private final TransportStats stats = new TransportStats();
    private final boolean epoll = Epoll.isAvailable();
    private final EventLoopGroup group;
    private final List<EventLoop> loops = new ArrayList<>();
    private final List<DatagramChannel> udpChannels = new ArrayList<>();
    private final Map<InetSocketAddress, ChannelFuture> tcpConnections = new ConcurrentHashMap<>();
    private Channel tcpServer;
    private Bootstrap tcpClient;
    private InetSocketAddress udpLocal;
    private InetSocketAddress tcpLocal;

    public NettySipTransport(TransportConfig config, InboundListener listener) {
        this.config = config;
        this.listener = listener;
        IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        this.group = new MultiThreadIoEventLoopGroup(config.ioThreads(), new DefaultThreadFactory("sip-io", true), io);
        for (EventExecutor e : group) loops.add((EventLoop) e);
    }

    /** Binds the configured sockets; returns this for chaining. Fails with the address when a port is taken. */
    public NettySipTransport start() throws InterruptedException {
        try {
            if (config.udpPort() >= 0) bindUdp();
            if (config.tcpPort() >= 0) bindTcp();
        } catch (Throwable t) {
            close(); // the sockets bound so far and the event loops: nothing is left running after a failed start
            throw t;
        }
        tcpClient = new Bootstrap().group(group)
                .channel(epoll ? EpollSocketChannel.class : NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 3000)
                .handler(streamInitializer());
        log.info("SIP transport up: udp={} tcp={} ({} loops, {})", udpLocal, tcpLocal, loops.size(), epoll ? "epoll" : "nio");
        return this;
    }

    private void bindUdp() throws InterruptedException {
        int port = config.udpPort();
        int sockets = epoll ? loops.size() : 1;
        if (epoll && port != 0) refuseIfTaken(port);
        for (int i = 0; i < sockets; i++) {
            Bootstrap b = new Bootstrap().group(loops.get(i))
                    .channel(epoll ? EpollDatagramChannel.class : NioDatagramChannel.class)
                    .option(ChannelOption.SO_RCVBUF, config.receiveBufferBytes())
                    .option(ChannelOption.SO_SNDBUF, config.receiveBufferBytes())
                    .handler(new UdpHandler());
            // Netty's default datagram buffer is 2 KB and silently truncates larger SIP messages
            b.option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(MAX_UDP_PAYLOAD * (epoll ? RECVMMSG_BATCH : 1)));
            if (epoll) {
                b.option(EpollChannelOption.SO_REUSEPORT, true);
                // recvmmsg: one syscall reads up to RECVMMSG_BATCH datagrams under load
                b.option(EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE, MAX_UDP_PAYLOAD);
            }
            DatagramChannel ch = (DatagramChannel) b.bind(config.bindAddress(), port).sync().channel();
            udpChannels.add(ch);
            if (port == 0) port = ((InetSocketAddress) ch.localAddress()).getPort(); // the rest share the port picked
        }
        udpLocal = new InetSocketAddress(config.bindAddress(), port);
    }

    /**
     * Our UDP sockets share their port through SO_REUSEPORT, which would also let a second process of the same user
     * (another dialer, a simulator left running) bind it and silently take a share of the traffic. A plain bind
     * first proves nobody holds the port.
     */
    private void refuseIfTaken(int port) {
        try (DatagramSocket probe = new DatagramSocket(null)) {
            probe.bind(new InetSocketAddress(config.bindAddress(), port));
        } catch (SocketException e) {
            throw new PortInUseException("SIP UDP port " + config.bindAddress().getHostAddress() + ":" + port
                    + " is already in use by another socket (" + e.getMessage() + ")");
        }
    }

    /** TCP listens on the UDP port when the port is left to us: peers expect SIP on one port number for both. */
    private void bindTcp() throws InterruptedException {
        int port = config.tcpPort();
        if (port == 0 && udpLocal != null) {
            try {
                tcpServer = tcpBootstrap().bind(config.bindAddress(), udpLocal.getPort()).sync().channel();
            } catch (Exception e) {
                tcpServer = null; // taken by someone else: any free port will do
            }
        }
        if (tcpServer == null) tcpServer = tcpBootstrap().bind(config.bindAddress(), port).sync().channel();
        tcpLocal = (InetSocketAddress) tcpServer.localAddress();
    }

    private ServerBootstrap tcpBootstrap() {
        return new ServerBootstrap().group(group)
                .channel(epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(streamInitializer());
    }

    private ChannelInitializer<SocketChannel> streamInitializer() {
        return new ChannelInitializer<>() {
            @Override
            protected void initChannel(SocketChannel ch) {
                ch.pipeline().addLast(new SipStreamFramer(SipCodec.MAX_MESSAGE_SIZE), new StreamHandler());
            }
        };
    }

    public TransportStats stats() { return stats; }

    public List<EventLoop> eventLoops() { return loops; }

    public EventLoopGroup eventLoopGroup() { return group; }

    /** The local address that goes into Via sent-by and Contact for this transport. */
    public InetSocketAddress localAddress(TransportType type) {
        InetSocketAddress a = type == TransportType.UDP ? udpLocal : tcpLocal;
        if (a == null && type == TransportType.TCP) return udpLocal; // outbound-only TCP: advertise the UDP port
        if (a == null) throw new IllegalStateException(type + " is not enabled on this transport");
        return a;
    }

    public boolean supports(TransportType type) {
        return type == TransportType.TCP || udpLocal != null;
    }

    public int openTcpConnections() {
        return (int) tcpConnections.values().stream().filter(f -> f.channel().isOpen()).count();
    }

    /**
     * Sends one encoded message. Over UDP it leaves on the socket of the calling event loop when there is one (no
     * cross-thread hand-off), else on a socket picked by destination. Over TCP, {@code connection} (the socket a
     * request came in on) is used when open, else a pooled connection to {@code destination}, opened on demand.
     * The returned future fails on a transport error (for example, connection refused).
     */
    public ChannelFuture send(byte[] data, InetSocketAddress destination, TransportType type, Channel connection) {
        stats.sent.increment();
        if (type == TransportType.UDP) {
            DatagramChannel ch = udpChannelFor(destination);
            return ch.writeAndFlush(new DatagramPacket(Unpooled.wrappedBuffer(data), destination));
        }
        if (connection != null && connection.isActive()) {
            return connection.writeAndFlush(Unpooled.wrappedBuffer(data));
        }
        ChannelFuture connect = tcpConnections.compute(destination, (k, existing) ->
                existing != null && (!existing.isDone() || existing.channel().isActive()) ? existing : tcpClient.connect(k));
        io.netty.channel.ChannelPromise promise = connect.channel().newPromise();
        connect.addListener(f -> {
            if (!f.isSuccess()) {
                stats.sendFailures.increment();
                tcpConnections.remove(destination, connect);
                promise.tryFailure(f.cause());
                return;
            }
            connect.channel().writeAndFlush(Unpooled.wrappedBuffer(data)).addListener(w -> {
                if (w.isSuccess()) promise.trySuccess();
                else { stats.sendFailures.increment(); promise.tryFailure(w.cause()); }
            });
        });
        return promise;
    }

    private DatagramChannel udpChannelFor(InetSocketAddress destination) {
        if (udpChannels.isEmpty()) throw new IllegalStateException("UDP is not enabled on this transport");
        for (DatagramChannel ch : udpChannels) {
            if (ch.eventLoop().inEventLoop()) return ch;
        }
        return udpChannels.get((destination.hashCode() & 0x7fffffff) % udpChannels.size());
    }

    private void deliver(byte[] bytes, int length, InetSocketAddress source, TransportType type, Channel channel, long receivedNanos) {
        stats.received.increment();
        SIPMessage message;
        try {
            message = SipCodec.parse(bytes, length);
        } catch (SipParseException e) {
            if (e.statusCode() == 0 && !e.isRequest() && isKeepAlive(bytes, length)) {
                stats.keepAlives.increment();
                return;
            }
            stats.malformed.increment();
            if (e.isRequest() && e.statusCode() > 0) {
                byte[] response = RawErrorResponse.build(bytes, length, e.statusCode(), reasonFor(e));
                if (response != null) {
                    stats.rejectedMalformed.increment();
                    send(response, source, type, channel);
                }
            }
            if (log.isDebugEnabled()) log.debug("dropped malformed message from {}: {} ({})", source, e.getMessage(), SipCodec.describe(bytes, length));
            return;
        }
        try {
            listener.onMessage(new InboundMessage(message, source, type, channel, receivedNanos));
        } catch (RuntimeException e) {
            // a bug above us must not take the socket down with it
            log.error("inbound handler failed on {} from {}", SipCodec.describe(bytes, length), source, e);
        }
    }

    private static String reasonFor(SipParseException e) {
        if (e.statusCode() == 505) return "Version Not Supported";
        String m = e.getMessage();
        StringBuilder sb = new StringBuilder("Bad Request - ");
        for (int i = 0; i < m.length() && i < 100; i++) {
            char c = m.charAt(i);
            sb.append(c >= 0x20 && c < 0x7f ? c : '?');
        }
        return sb.toString();
    }

    private static boolean isKeepAlive(byte[] b, int length) {
        for (int i = 0; i < length; i++) if (b[i] != '\r' && b[i] != '\n') return false;
        return true;
    }

    @Override
    public void close() {
        for (ChannelFuture f : tcpConnections.values()) f.channel().close();
        tcpConnections.clear();
        if (tcpServer != null) tcpServer.close().awaitUninterruptibly();
        for (DatagramChannel ch : udpChannels) ch.close().awaitUninterruptibly();
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
    }

    private final class UdpHandler extends SimpleChannelInboundHandler<DatagramPacket> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
            long now = System.nanoTime();
            ByteBuf content = packet.content();
            byte[] bytes = ByteBufUtil.getBytes(content);
            deliver(bytes, bytes.length, packet.sender(), TransportType.UDP, ctx.channel(), now);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            // ICMP port unreachable and the like surface here on UDP; the socket stays up
            if (log.isDebugEnabled()) log.debug("UDP socket error: {}", cause.toString());
        }
    }

    private final class StreamHandler extends SimpleChannelInboundHandler<byte[]> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, byte[] message) {
            deliver(message, message.length, (InetSocketAddress) ctx.channel().remoteAddress(), TransportType.TCP, ctx.channel(), System.nanoTime());
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            stats.malformed.increment();
            log.debug("closing TCP connection from {}: {}", ctx.channel().remoteAddress(), cause.toString());
            ctx.close();
        }
    }
}
