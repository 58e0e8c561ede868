package io.trunkline.media.bridge;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.resolver.dns.DnsAddressResolverGroup;
import io.netty.resolver.dns.DnsNameResolverBuilder;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.trunkline.media.assistant.Assistant;
import io.trunkline.media.assistant.AssistantCall;
import io.trunkline.media.assistant.AssistantOutput;
import io.trunkline.media.assistant.AssistantSession;
import io.trunkline.audio.G711;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;

/**
 * An {@link Assistant} that runs as a separate service and speaks the Twilio Media Streams protocol over a
 * WebSocket, as voice-AI frameworks do. Each answered call gets its own connection to the configured URL; the
 * callee's audio goes out as base64 μ-law {@code media} messages and the assistant's {@code media}, {@code mark} and
 * {@code clear} messages drive the call's {@link AssistantOutput}.
 *
 * <p>One instance per engine: it owns the event loop shared by all its connections and, for {@code wss://}, the TLS
 * context (the JDK's trust store or the configured one, hostname verification on). {@link #close()} stops the
 * event loop; close every session first so each assistant gets its {@code stop}.
 *
 * <pre>{@code
 * MediaStreamsBridge agent = new MediaStreamsBridge(MediaStreamsConfig.builder("wss://agent.example.com/media?token=…")
 *         .connectTimeout(Duration.ofSeconds(2))
 *         .header("Authorization", "Bearer " + apiKey)        // optional; never logged
 *         .trustStore(Path.of("agent-ca.p12"), "PKCS12", pw)  // optional; default: the JDK's trust store
 *         .build());
 * // per answered call, on the engine's side:
 * AssistantSession s = agent.open(new AssistantCall(callId, from, to, customParameters), playout);
 * }</pre>
 */
public final class MediaStreamsBridge implements Assistant, AutoCloseable {
    private final MediaStreamsConfig config;
    private final BridgeStats stats = new BridgeStats();
    private final EventLoopGroup group;
    private final Bootstrap bootstrap;
    /** Every connection this bridge opened and has not closed (a group drops closed channels by itself). */
    private final io.netty.channel.group.ChannelGroup channels =
            new io.netty.channel.group.DefaultChannelGroup("media-streams", io.netty.util.concurrent.GlobalEventExecutor.INSTANCE);
    private final DnsAddressResolverGroup resolver;
    private final SslContext ssl;
    private volatile boolean closed;

    public MediaStreamsBridge(MediaStreamsConfig config) {
        this.config = config;
        // G.711's class initialisation builds its 64 KiB tables: at engine start, not on a call's first frame
        G711.linearToUlaw((short) 0);
        this.ssl = config.secure() ? sslContext(config.trustStore()) : null;
        boolean epoll = Epoll.isAvailable();
        IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        this.group = new MultiThreadIoEventLoopGroup(config.ioThreads(), new DefaultThreadFactory("assistant-ws", true), io);
        int timeoutMs = (int) config.connectTimeout().toMillis();
        // Netty's default resolver calls InetAddress on the event loop: one slow DNS answer would stall the audio
        // of every call on that loop. This one is asynchronous and still honours /etc/hosts.
        this.resolver = new DnsAddressResolverGroup(new DnsNameResolverBuilder()
                .datagramChannelType(epoll ? EpollDatagramChannel.class : NioDatagramChannel.class)
                .socketChannelType(epoll ? EpollSocketChannel.class : NioSocketChannel.class)
                .queryTimeoutMillis(timeoutMs));
        this.bootstrap = new Bootstrap().group(group).resolver(resolver)
                .channel(epoll ? EpollSocketChannel.class : NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, timeoutMs)
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK,
                        new WriteBufferWaterMark(config.sendBufferBytes() / 2, config.sendBufferBytes()));
    }

    @Override
    public AssistantSession open(AssistantCall call, AssistantOutput output) {
        if (closed) throw new IllegalStateException("the Media Streams bridge to " + config.redactedUrl() + " is closed");
        MediaStreamsSession session = new MediaStreamsSession(config, stats, call, output);
        stats.connectsStarted.increment();
        ChannelFuture connect = bootstrap.clone()
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        pipeline(ch.pipeline(), ch, session);
                    }
                })
                .connect(config.url().getHost(), config.port());
        channels.add(connect.channel());
        session.connecting(connect);
        return session;
    }

    public BridgeStats stats() {
        return stats;
    }

    public MediaStreamsConfig config() {
        return config;
    }

    /** Stops the event loop (waiting up to 5 s for its threads); connections still open are dropped without stop. */
    @Override
    public void close() {
        closed = true;
        // close the connections first, so each session hears of it (channelInactive) before the loops stop
        channels.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        resolver.close();
        group.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** True once {@link #close()} has released the event loop threads. */
    public boolean isTerminated() {
        return group.isTerminated();
    }

    private void pipeline(ChannelPipeline p, SocketChannel ch, MediaStreamsSession session) {
        long timeoutMs = config.connectTimeout().toMillis();
        if (ssl != null) {
            // host and port make the engine send SNI and verify the certificate against the host it dialled
            SslHandler tls = ssl.newHandler(ch.alloc(), config.url().getHost(), config.port());
            tls.setHandshakeTimeoutMillis(timeoutMs);
            p.addLast(tls);
        }
        HttpHeaders headers = new DefaultHttpHeaders();
        for (Map.Entry<String, String> h : config.headers().entrySet()) headers.add(h.getKey(), h.getValue());
        WebSocketClientProtocolConfig ws = WebSocketClientProtocolConfig.newBuilder()
                .webSocketUri(config.url())
                .customHeaders(headers)
                .maxFramePayloadLength(config.maxMessageBytes())
                .handshakeTimeoutMillis(timeoutMs)
                // the session answers close frames itself so it can report the assistant's code and reason,
                // and sends its own close frame after stop
                .handleCloseFrames(false)
                .sendCloseFrame(null)
                .dropPongFrames(true)
                .build();
        p.addLast(new HttpClientCodec(),
                new HttpObjectAggregator(16 * 1024),
                new WebSocketClientProtocolHandler(ws),
                new WebSocketFrameAggregator(config.maxMessageBytes()),
                session.handler());
    }

    private static SslContext sslContext(MediaStreamsConfig.TrustStore trustStore) {
        try {
            SslContextBuilder b = SslContextBuilder.forClient().endpointIdentificationAlgorithm("HTTPS");
            if (trustStore != null) b.trustManager(trustManagers(trustStore));
            return b.build();
        } catch (SSLException e) {
            throw new IllegalArgumentException("trustStore: cannot build a TLS client context: " + e.getMessage(), e);
        }
    }

    private static TrustManagerFactory trustManagers(MediaStreamsConfig.TrustStore trustStore) {
        try (InputStream in = Files.newInputStream(trustStore.path())) {
            KeyStore ks = KeyStore.getInstance(trustStore.type());
            ks.load(in, trustStore.password());
            if (ks.size() == 0) throw new IllegalArgumentException("trustStore: " + trustStore + " holds no certificates");
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ks);
            return tmf;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("trustStore: cannot load " + trustStore + ": " + e.getMessage(), e);
        }
    }
}
