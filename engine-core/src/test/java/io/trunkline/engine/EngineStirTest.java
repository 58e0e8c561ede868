package io.trunkline.engine;

import io.trunkline.engine.config.EngineConfigLoader;
import io.trunkline.sim.CarrierSimulator;
import io.trunkline.sim.SimConfig;
import io.trunkline.sip.stir.Attestation;
import io.trunkline.sip.stir.CertificateSource;
import io.trunkline.sip.stir.StirVerifier;
import io.trunkline.sip.stir.ThrowawayCredentials;
import io.trunkline.sip.stir.VerificationResult;
import io.trunkline.sip.transport.TransportConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Per-caller-ID STIR/SHAKEN signing from the YAML configuration, judged by the simulator's terminating-carrier
 * verifier: each caller ID is signed with its own certificate and level, and a level the configuration does not
 * allow is refused at dial() before anything is queued or sent.
 */
class EngineStirTest {
    static final String X5U_MAIN = "https://certs.trunkline.test/main.pem";
    static final String X5U_RESOLD = "https://certs.trunkline.test/resold.pem";

    @TempDir Path dir;

    static String pem(java.security.PrivateKey key) {
        return "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(key.getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
    }

    @Test
    void eachCallerIdIsSignedWithItsOwnCertificateAndLevel() throws Exception {
        ThrowawayCredentials main = ThrowawayCredentials.loadOrCreate(dir.resolve("main"), "Trunkline main");
        ThrowawayCredentials resold = ThrowawayCredentials.loadOrCreate(dir.resolve("resold"), "Trunkline resold");
        Files.writeString(dir.resolve("main.pem"), pem(main.key()));
        Files.writeString(dir.resolve("resold.pem"), pem(resold.key()));
        StirVerifier verifier = new StirVerifier(
                CertificateSource.of(Map.of(X5U_MAIN, main.chain(), X5U_RESOLD, resold.chain())),
                StirVerifier.anchors(List.of(main.certificate(), resold.certificate())), Clock.systemUTC(), 60);

        try (CarrierSimulator sim = CarrierSimulator.start(SimConfig.answerAll().withStir(verifier),
                TransportConfig.loopback(0, 0).withThreads(1), EngineTest.TIMERS)) {
            Path yaml = dir.resolve("trunkline.yaml");
            Files.writeString(yaml, """
                    listen: {address: 127.0.0.1, udp_port: 0, tcp_port: -1, io_threads: 1}
                    trunks:
                      - name: main
                        address: sip:127.0.0.1:%d
                        cps: 50
                        stir:
                          key: main.pem
                          x5u: %s
                          attest: A
                          callers:
                            - numbers: ["+1555020*"]
                              key: resold.pem
                              x5u: %s
                              attest: B
                              max_attest: B
                    """.formatted(sim.udpAddress().getPort(), X5U_MAIN, X5U_RESOLD));
            try (Engine engine = Engine.start(EngineConfigLoader.load(yaml, Map.of()))) {
                VerificationResult own = dialAndVerify(engine, sim, CallRequest.of("+15550100001", "+15550109999"));
                assertEquals(X5U_MAIN, own.header().get("x5u"));
                assertEquals("A", own.claims().get("attest"));

                VerificationResult resale = dialAndVerify(engine, sim, CallRequest.of("+15550200007", "+15550109999"));
                assertEquals(X5U_RESOLD, resale.header().get("x5u"), "the caller-ID rule's certificate, not the trunk's");
                assertEquals("B", resale.claims().get("attest"));

                VerificationResult lowered = dialAndVerify(engine, sim,
                        CallRequest.of("+15550200007", "+15550109999").withAttestation(Attestation.C));
                assertEquals("C", lowered.claims().get("attest"), "a request may ask for less than the default");

                long invites = sim.stats().invites();
                IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () ->
                        engine.dial(CallRequest.of("+15550200007", "+15550109999").withAttestation(Attestation.A)));
                assertTrue(refused.getMessage().startsWith("attestation must be at most B for caller ID +15550200007, got A"),
                        refused.getMessage());
                assertEquals(invites, sim.stats().invites(), "refused before dialling");
            }
        }
    }

    @Test
    void askingForAttestationOnATrunkWithoutCertificateIsRefused() throws Exception {
        try (CarrierSimulator sim = CarrierSimulator.start(SimConfig.answerAll(), TransportConfig.loopback(0, 0).withThreads(1), EngineTest.TIMERS);
             Engine engine = EngineTest.engine(List.of(TrunkConfig.of("plain", EngineTest.target(sim), 10, 10)), 10)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () ->
                    engine.dial(CallRequest.of("+15550100001", "+15550109999").withAttestation(Attestation.B)));
            assertTrue(e.getMessage().contains("attestation") && e.getMessage().contains("trunk plain"), e.getMessage());
            assertEquals(0, sim.stats().invites());
        }
    }

    private static VerificationResult dialAndVerify(Engine engine, CarrierSimulator sim, CallRequest request) throws Exception {
        Call call = engine.dial(request);
        call.answered().thenAccept(Call::hangup);
        CallRecord cdr = call.ended().get(10, TimeUnit.SECONDS);
        assertEquals(EndReason.COMPLETED, cdr.reason(), cdr.toString());
        VerificationResult v = sim.stats().lastIdentity();
        assertTrue(v.valid(), v.toString());
        return v;
    }
}
