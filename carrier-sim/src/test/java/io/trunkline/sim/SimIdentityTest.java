package io.trunkline.sim;

import io.trunkline.sip.auth.DigestClient;
import io.trunkline.sip.sdp.SdpOffer;
import io.trunkline.sip.stir.Attestation;
import io.trunkline.sip.stir.CertificateSource;
import io.trunkline.sip.stir.StirIdentityProvider;
import io.trunkline.sip.stir.StirSigner;
import io.trunkline.sip.stir.StirVerifier;
import io.trunkline.sip.stir.ThrowawayCredentials;
import io.trunkline.sip.transport.TransportConfig;
import io.trunkline.sip.transport.TransportType;
import io.trunkline.sip.ua.CallEnd;
import io.trunkline.sip.ua.CallListener;
import io.trunkline.sip.ua.CallOutcome;
import io.trunkline.sip.ua.DialRequest;
import io.trunkline.sip.ua.OutboundCall;
import io.trunkline.sip.ua.SipTarget;
import io.trunkline.sip.ua.SipUserAgent;
import io.trunkline.sip.ua.UserAgentConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Signed INVITEs through the simulator's terminating-carrier verifier, as a real carrier would judge them. */
class SimIdentityTest {
    static final String X5U = "https://cert.trunkline.test/demo.pem";
    static java.security.PrivateKey key;
    static X509Certificate cert;
    static SipUserAgent ua;

    @BeforeAll
    static void start() throws Exception {
        ThrowawayCredentials credentials = ThrowawayCredentials.loadOrCreate(java.nio.file.Files.createTempDirectory("stir"), "Trunkline SIM test");
        key = credentials.key();
        cert = credentials.certificate();
        ua = SipUserAgent.start(UserAgentConfig.of(TransportConfig.loopback(0, -1).withThreads(1)));
    }

    @AfterAll
    static void stop() {
        ua.close();
    }

    static CarrierSimulator sim(SimConfig base) throws Exception {
        StirVerifier verifier = new StirVerifier(CertificateSource.of(Map.of(X5U, List.of(cert))), StirVerifier.anchors(List.of(cert)),
                Clock.systemUTC(), 60);
        return CarrierSimulator.start(base.withStir(verifier), TransportConfig.loopback(0, 0).withThreads(1));
    }

    static CallEnd dial(CarrierSimulator sim, DialRequest r) throws Exception {
        CompletableFuture<CallEnd> end = new CompletableFuture<>();
        ua.dial(r, new CallListener() {
            @Override public void onAnswered(OutboundCall c, String sdp) { c.hangup(); }
            @Override public void onEnded(OutboundCall c, CallEnd e) { end.complete(e); }
        });
        return end.get(5, TimeUnit.SECONDS);
    }

    static DialRequest request(CarrierSimulator sim, String to, StirSigner signer, Attestation level) {
        DialRequest r = new DialRequest(new SipTarget("127.0.0.1", sim.udpAddress().getPort(), TransportType.UDP),
                "15550100001", to, SdpOffer.audio("127.0.0.1", 40000));
        return signer == null ? r : r.withIdentity(new StirIdentityProvider(signer, level));
    }

    @Test
    void signedInviteIsVerifiedAndUnsignedOrStaleOrForgedOnesAreRefused() throws Exception {
        try (CarrierSimulator sim = sim(SimConfig.answerAll())) {
            StirSigner signer = new StirSigner(key, X5U, Attestation.A, Clock.systemUTC());
            assertEquals(CallOutcome.COMPLETED, dial(sim, request(sim, "15550100002", signer, Attestation.A)).outcome());
            assertTrue(sim.stats().lastIdentity().valid());
            assertEquals("A", sim.stats().lastIdentity().claims().get("attest"));
            assertEquals(List.of("15550100002"), ((Map<?, ?>) sim.stats().lastIdentity().claims().get("dest")).get("tn"));

            CallEnd unsigned = dial(sim, request(sim, "15550100002", null, null));
            assertEquals(428, unsigned.sipCode(), unsigned.toString());

            StirSigner stale = new StirSigner(key, X5U, Attestation.A, Clock.offset(Clock.systemUTC(), Duration.ofMinutes(-2)));
            assertEquals(403, dial(sim, request(sim, "15550100002", stale, Attestation.A)).sipCode());

            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"));
            StirSigner forger = new StirSigner(g.generateKeyPair().getPrivate(), X5U, Attestation.A, Clock.systemUTC());
            assertEquals(438, dial(sim, request(sim, "15550100002", forger, Attestation.A)).sipCode());

            StirSigner elsewhere = new StirSigner(key, "https://cert.unknown.test/x.pem", Attestation.A, Clock.systemUTC());
            assertEquals(436, dial(sim, request(sim, "15550100002", elsewhere, Attestation.A)).sipCode());

            assertEquals(1, sim.stats().identityVerified());
            assertEquals(1, sim.stats().identityFailures(428));
            assertEquals(1, sim.stats().identityFailures(403));
            assertEquals(1, sim.stats().identityFailures(438));
            assertEquals(1, sim.stats().identityFailures(436));
        }
    }

    @Test
    void authenticationRetryCarriesAFreshlySignedIdentity() throws Exception {
        try (CarrierSimulator sim = sim(SimConfig.answerAll().withAuth("alice", "s3cret", "sim.test"))) {
            StirSigner signer = new StirSigner(key, X5U, Attestation.B, Clock.systemUTC());
            DialRequest r = request(sim, "15550100003", signer, Attestation.B).withAuth(new DigestClient("alice", "s3cret"));
            assertEquals(CallOutcome.COMPLETED, dial(sim, r).outcome());
            assertEquals(1, sim.stats().challenged());
            assertEquals(1, sim.stats().identityVerified(), "the authenticated retry was signed and verified");
        }
    }

    @Test
    void largeSignedInviteGoesOverTcp() throws Exception {
        try (CarrierSimulator sim = sim(SimConfig.answerAll())) {
            StirSigner signer = new StirSigner(key, X5U, Attestation.A, Clock.systemUTC());
            DialRequest big = new DialRequest(new SipTarget("127.0.0.1", sim.udpAddress().getPort(), TransportType.UDP), "15550100001",
                    "Trunkline Caller ID", "15550100004", SdpOffer.audio("127.0.0.1", 40000),
                    List.of(Map.entry("X-Campaign", "c".repeat(500))), null, new StirIdentityProvider(signer, Attestation.A));
            CompletableFuture<CallEnd> end = new CompletableFuture<>();
            OutboundCall[] call = new OutboundCall[1];
            call[0] = ua.dial(big, new CallListener() {
                @Override public void onAnswered(OutboundCall c, String sdp) { c.hangup(); }
                @Override public void onEnded(OutboundCall c, CallEnd e) { end.complete(e); }
            });
            assertEquals(CallOutcome.COMPLETED, end.get(5, TimeUnit.SECONDS).outcome());
            assertEquals(TransportType.TCP, call[0].transport(), "Identity pushed the INVITE past 1300 bytes");
            assertTrue(sim.stats().lastIdentity().valid());
        }
    }
}
