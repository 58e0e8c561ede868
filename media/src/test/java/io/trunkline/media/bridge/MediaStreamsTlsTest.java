package io.trunkline.media.bridge;

import io.trunkline.audio.Tones;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trunkline.media.assistant.AssistantCall;
import io.trunkline.media.assistant.AssistantSession;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * wss:// against the Node assistant serving a self-signed certificate made by keytool: trusted through the
 * configured trust store it streams; with the JDK's trust store, or with a certificate for another host name, the
 * bridge refuses and says why.
 */
class MediaStreamsTlsTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Path DIR = Path.of("target/bridge-tls");
    private static final String PASSWORD = "test-only-pw";

    private NodeAssistant node;
    private MediaStreamsBridge bridge;

    @BeforeAll
    static void makeCertificates() throws Exception {
        Files.createDirectories(DIR);
        for (String name : List.of("loopback", "elsewhere")) {
            Files.deleteIfExists(DIR.resolve(name + ".p12"));
            Files.deleteIfExists(DIR.resolve(name + "-trust.p12"));
            Files.deleteIfExists(DIR.resolve(name + ".pem"));
        }
        certificate("loopback", "ip:127.0.0.1,dns:localhost");
        certificate("elsewhere", "dns:assistant.example.net");
    }

    /** A key pair and self-signed certificate for {@code san}, its PEM, and a trust store holding only that PEM. */
    private static void certificate(String name, String san) throws Exception {
        String ks = DIR.resolve(name + ".p12").toString();
        keytool("-genkeypair", "-alias", name, "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2",
                "-dname", "CN=trunkline test assistant", "-ext", "san=" + san,
                "-keystore", ks, "-storetype", "PKCS12", "-storepass", PASSWORD, "-keypass", PASSWORD);
        keytool("-exportcert", "-rfc", "-alias", name, "-keystore", ks, "-storepass", PASSWORD,
                "-file", DIR.resolve(name + ".pem").toString());
        keytool("-importcert", "-noprompt", "-alias", name, "-file", DIR.resolve(name + ".pem").toString(),
                "-keystore", DIR.resolve(name + "-trust.p12").toString(), "-storetype", "PKCS12", "-storepass", PASSWORD);
    }

    private static void keytool(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, "keytool " + args[0] + " failed: " + out);
    }

    @AfterEach
    void release() throws Exception {
        if (node != null) node.close();
        if (bridge != null) {
            MediaStreamsBridgeTest.awaitNoOpenConnections(bridge);
            bridge.close();
        }
    }

    private NodeAssistant serve(String cert) throws Exception {
        return NodeAssistant.start("--pfx", DIR.resolve(cert + ".p12").toString(), "--passphrase", PASSWORD);
    }

    @Test
    void trustedSelfSignedAssistantStreamsOverWss() throws Exception {
        node = serve("loopback");
        bridge = new MediaStreamsBridge(MediaStreamsConfig.builder("wss://127.0.0.1:" + node.port() + "/agent?t=1")
                .trustStore(DIR.resolve("loopback-trust.p12"), "PKCS12", PASSWORD.toCharArray()).build());
        RecordingOutput out = new RecordingOutput();
        AssistantSession session = bridge.open(new AssistantCall("tls-1", "a", "b", Map.of("k", "v")), out);
        assertEquals("tls-1", node.awaitReceived("start", WAIT).path("msg").path("start").path("callSid").asText());

        short[] tone = Tones.sine(1000, 8000, 25 * AssistantSession.FRAME_SAMPLES, 8000);
        short[] frame = new short[AssistantSession.FRAME_SAMPLES];
        for (int i = 0; i < 25; i++) {
            System.arraycopy(tone, i * frame.length, frame, 0, frame.length);
            session.onAudio(frame, frame.length, i);
        }
        out.awaitSamples(tone.length, WAIT);
        assertEquals(1000, peakHz(out.pcm()), 0.1);
        session.close();
        node.awaitReceived("stop", WAIT);
        assertTrue(out.disconnects().isEmpty(), out.disconnects().toString());
    }

    @Test
    void selfSignedAssistantIsRefusedWithTheJdkTrustStore() throws Exception {
        node = serve("loopback");
        bridge = new MediaStreamsBridge(MediaStreamsConfig.builder("wss://127.0.0.1:" + node.port() + "/agent?t=secret").build());
        RecordingOutput out = new RecordingOutput();
        AssistantSession session = bridge.open(new AssistantCall("tls-2", "a", "b", Map.of()), out);
        String reason = out.awaitDisconnected(Duration.ofSeconds(5));
        assertTrue(reason.startsWith("TLS handshake with assistant at wss://127.0.0.1:" + node.port() + "/agent?… failed (server certificate rejected)"), reason);
        assertTrue(reason.contains("certification path"), reason);
        assertTrue(node.lines(l -> l.path("type").asText().equals("connection")).isEmpty(), "no WebSocket was opened");
        session.close();
    }

    @Test
    void certificateForAnotherHostIsRefusedEvenWhenTrusted() throws Exception {
        node = serve("elsewhere");
        bridge = new MediaStreamsBridge(MediaStreamsConfig.builder("wss://127.0.0.1:" + node.port() + "/")
                .trustStore(DIR.resolve("elsewhere-trust.p12"), "PKCS12", PASSWORD.toCharArray()).build());
        RecordingOutput out = new RecordingOutput();
        AssistantSession session = bridge.open(new AssistantCall("tls-3", "a", "b", Map.of()), out);
        String reason = out.awaitDisconnected(Duration.ofSeconds(5));
        assertTrue(reason.contains("failed (server certificate rejected)") && reason.contains("127.0.0.1"), reason);
        session.close();
    }

    @Test
    void unreadableTrustStoreIsAConfigurationErrorNamingTheField() throws Exception {
        Path empty = Files.createTempFile(DIR, "empty", ".p12");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new MediaStreamsBridge(
                MediaStreamsConfig.builder("wss://127.0.0.1:1/").trustStore(empty, "PKCS12", PASSWORD.toCharArray()).build()));
        assertTrue(e.getMessage().startsWith("trustStore: cannot load"), e.getMessage());
        Files.delete(empty);
    }

    private static double peakHz(short[] pcm) { return Tones.peakHz(pcm, 0, pcm.length, 8000); }
}
