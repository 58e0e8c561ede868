package io.trunkline.sip.stir;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** x5u over real HTTPS on loopback: fetch, cache, timeouts and failures, and the verifier's 436. */
class HttpsCertificateSourceTest {
    @TempDir
    Path dir;
    HttpsServer server;
    SSLContext clientTls;
    ThrowawayCredentials sp;
    final AtomicInteger hits = new AtomicInteger();

    @BeforeEach
    void start() throws Exception {
        sp = ThrowawayCredentials.loadOrCreate(dir, "Trunkline x5u host");
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(dir.resolve("stir-demo.p12"))) {
            ks.load(in, "trunkline-demo".toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance("SunX509");
        kmf.init(ks, "trunkline-demo".toCharArray());
        SSLContext serverTls = SSLContext.getInstance("TLS");
        serverTls.init(kmf.getKeyManagers(), null, null);
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("host", sp.certificate());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
        tmf.init(trust);
        clientTls = SSLContext.getInstance("TLS");
        clientTls.init(null, tmf.getTrustManagers(), null);

        server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(serverTls));
        String pem = "-----BEGIN CERTIFICATE-----\n" + Base64.getMimeEncoder().encodeToString(sp.certificate().getEncoded())
                + "\n-----END CERTIFICATE-----\n";
        server.createContext("/sp.pem", x -> {
            hits.incrementAndGet();
            byte[] body = pem.getBytes(StandardCharsets.US_ASCII);
            x.sendResponseHeaders(200, body.length);
            x.getResponseBody().write(body);
            x.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    String url(String path) {
        return "https://localhost:" + server.getAddress().getPort() + path;
    }

    @Test
    void fetchesOverHttpsAndServesRepeatsFromTheCache() throws Exception {
        HttpsCertificateSource source = new HttpsCertificateSource(clientTls, Duration.ofSeconds(2), Duration.ofMinutes(5), 16, Clock.systemUTC());
        assertEquals(sp.certificate(), source.fetch(url("/sp.pem")).get(0));
        assertEquals(sp.certificate(), source.fetch(url("/sp.pem")).get(0));
        assertEquals(1, hits.get(), "the second lookup came from the cache");
        assertEquals(1, source.fetches());
        IOException notFound = assertThrows(IOException.class, () -> source.fetch(url("/missing.pem")));
        assertTrue(notFound.getMessage().contains("404"), notFound.getMessage());
        assertThrows(IOException.class, () -> source.fetch("http://localhost:" + server.getAddress().getPort() + "/sp.pem"), "https only");
    }

    @Test
    void unreachableOrUntrustedHostGives436() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        HttpsCertificateSource source = new HttpsCertificateSource(clientTls, Duration.ofMillis(500), Duration.ofMinutes(5), 16, Clock.systemUTC());
        StirSigner signer = new StirSigner(sp.key(), "https://127.0.0.1:" + closed + "/sp.pem", Attestation.A, Clock.systemUTC());
        StirVerifier verifier = new StirVerifier(source, StirVerifier.anchors(sp.chain()), Clock.systemUTC(), 60);
        long t0 = System.nanoTime();
        VerificationResult r = verifier.verify(signer.sign("15550100001", List.of("15550100002"), Attestation.A, null).headerValue(), null, null);
        assertEquals(436, r.code(), r.toString());
        assertTrue(System.nanoTime() - t0 < 5_000_000_000L, "bounded by the timeout");

        HttpsCertificateSource defaultTrust = new HttpsCertificateSource(Duration.ofSeconds(2), Duration.ofMinutes(5), 16, Clock.systemUTC());
        StirSigner hosted = new StirSigner(sp.key(), url("/sp.pem"), Attestation.A, Clock.systemUTC());
        VerificationResult untrustedHost = new StirVerifier(defaultTrust, Set.of(), Clock.systemUTC(), 60)
                .verify(hosted.sign("15550100001", List.of("15550100002"), Attestation.A, null).headerValue(), null, null);
        assertEquals(436, untrustedHost.code(), "a web server the JDK does not trust is not a source of credentials");

        VerificationResult ok = new StirVerifier(new HttpsCertificateSource(clientTls, Duration.ofSeconds(2), Duration.ofMinutes(5), 16, Clock.systemUTC()),
                StirVerifier.anchors(sp.chain()), Clock.systemUTC(), 60)
                .verify(hosted.sign("15550100001", List.of("15550100002"), Attestation.A, null).headerValue(), "15550100001", "15550100002");
        assertTrue(ok.valid(), ok.toString());
    }
}
