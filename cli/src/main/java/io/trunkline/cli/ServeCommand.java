package io.trunkline.cli;

import io.trunkline.engine.EngineConfig;
import io.trunkline.engine.TrunkConfig;
import io.trunkline.engine.config.EngineConfigLoader;
import io.trunkline.media.MediaConfig;
import io.trunkline.service.DialerService;
import io.trunkline.service.config.ApiKey;
import io.trunkline.service.config.ServiceConfig;
import io.trunkline.service.config.ServiceConfigLoader;
import io.trunkline.sim.CarrierSimulator;
import io.trunkline.sim.Greetings;
import io.trunkline.sim.SimConfig;
import io.trunkline.sim.SimMedia;
import io.trunkline.sip.transport.TransportConfig;
import io.trunkline.sip.transport.TransportType;
import io.trunkline.sip.ua.SipTarget;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * {@code ./trunkline serve}: the long-lived dialer process. With {@code --config} it runs on the operator's trunks;
 * without, on embedded defaults: SQLite in {@code .trunkline/}, the carrier simulator on loopback as its trunk, and
 * an API key generated at first start and printed that once.
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Run the dialer service: HTTP API, durable call store, signed webhooks.")
final class ServeCommand implements Callable<Integer> {
    @Option(names = "--config", paramLabel = "FILE", description = "configuration file (trunks, limits, media, server, store, webhooks); without it, embedded defaults with the carrier simulator")
    Path config;

    @Option(names = "--listen", paramLabel = "HOST:PORT", description = "HTTP listen address (overrides server.listen; default 127.0.0.1:8080)")
    String listen;

    @Option(names = "--sim-hold-ms", defaultValue = "3000", description = "embedded defaults only: the simulated callee hangs up this long after answering, 100..600000 (default ${DEFAULT-VALUE})")
    long simHoldMs;

    @Override
    public Integer call() throws Exception {
        Path home = Path.of(System.getProperty("trunkline.home", ".trunkline")).toAbsolutePath();
        Files.createDirectories(home);
        HostPort hp = listen == null ? null : HostPort.parse("--listen", listen);
        InetSocketAddress listenAddress = hp == null ? null : new InetSocketAddress(hp.host(), hp.port());
        CarrierSimulator sim = null;
        ServiceConfig serviceConfig;
        EngineConfig engineConfig;
        if (config != null) {
            engineConfig = EngineConfigLoader.load(config, System.getenv(), ServiceConfigLoader.SECTIONS);
            serviceConfig = ServiceConfigLoader.load(config, System.getenv(), home);
        } else {
            if (simHoldMs < 100 || simHoldMs > 600_000) throw new IllegalArgumentException("--sim-hold-ms must be 100..600000, got " + simHoldMs);
            InetAddress loopback = InetAddress.getLoopbackAddress();
            sim = CarrierSimulator.start(SimConfig.answerAll().withRingMs(400).withHoldMs(simHoldMs).withNoAnswerMs(2500),
                    TransportConfig.loopback(0, -1).withThreads(1), new SimMedia(loopback, 41_200, 41_999, Greetings.bundled(), null));
            SipTarget trunk = new SipTarget("127.0.0.1", sim.udpAddress().getPort(), TransportType.UDP);
            engineConfig = new EngineConfig(TransportConfig.loopback(0, -1).withThreads(1),
                    List.of(new TrunkConfig("sim", trunk, 20, 200, 0, 1, null, null)), 0, 0, 10_000, 2, null, 0,
                    MediaConfig.defaults(loopback, 40_000, 40_999));
            serviceConfig = ServiceConfig.defaults(home, 8080, embeddedKey(home));
            DemoCommand.chime(serviceConfig.promptsDir().resolve("message.wav"), new double[] {523, 659, 784, 1047});
            System.out.println("carrier simulator on " + trunk + " (answers every call; the callee hangs up after " + simHoldMs + " ms)");
        }
        if (listenAddress != null) serviceConfig = serviceConfig.withListen(listenAddress);
        if (serviceConfig.jsonLogs() || "json".equals(System.getenv("TRUNKLINE_LOG_FORMAT"))) JsonLogs.install();
        DialerService service;
        try {
            service = DialerService.start(serviceConfig, engineConfig);
        } catch (RuntimeException | IOException | InterruptedException e) {
            if (sim != null) sim.close();
            throw e;
        }
        System.out.println("dialer service on http://" + serviceConfig.listen().getHostString() + ":" + service.port()
                + " (store: " + serviceConfig.store() + ")");
        if (service.recovered() > 0) System.out.println(service.recovered() + " calls were in flight at the last stop: ended as failed (engine restarted during the call)");
        System.out.flush();
        CountDownLatch stopped = new CountDownLatch(1);
        CarrierSimulator simulator = sim;
        StopSignals signals = StopSignals.install(() -> { // SIGTERM, SIGINT: drain, then stop; a second one ends the drain
            try {
                service.stop();
                if (simulator != null) simulator.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                stopped.countDown();
            }
        }, service::hurry);
        stopped.await();
        return signals.exitCode(0);
    }

    /**
     * The embedded defaults' key and webhook secret: made at first start in {@code home} (owner-only files) and
     * printed then; later starts read them and say where they are, without printing them again.
     */
    private static ApiKey embeddedKey(Path home) throws IOException {
        Path keyFile = home.resolve("api-key");
        Path secretFile = home.resolve("webhook-secret");
        boolean fresh = !Files.exists(keyFile);
        if (fresh) {
            write(keyFile, "tl_" + random(24));
            write(secretFile, "whsec_" + random(24));
        }
        String key = Files.readString(keyFile, StandardCharsets.UTF_8).trim();
        String secret = Files.readString(secretFile, StandardCharsets.UTF_8).trim();
        if (fresh) {
            System.out.println("API key (shown once; kept in " + keyFile + "): " + key);
            System.out.println("webhook signing secret (kept in " + secretFile + "): " + secret);
        } else {
            System.out.println("API key: in " + keyFile + "; webhook signing secret: in " + secretFile);
        }
        return ApiKey.of("default", key, secret);
    }

    private static void write(Path file, String value) throws IOException {
        Files.deleteIfExists(file);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, value + "\n", StandardCharsets.UTF_8);
    }

    private static String random(int bytes) {
        byte[] b = new byte[bytes];
        new SecureRandom().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
