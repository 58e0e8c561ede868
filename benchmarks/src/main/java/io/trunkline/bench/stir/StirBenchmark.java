package io.trunkline.bench.stir;

import io.trunkline.sip.stir.Attestation;
import io.trunkline.sip.stir.CertificateSource;
import io.trunkline.sip.stir.SignedIdentity;
import io.trunkline.sip.stir.StirSigner;
import io.trunkline.sip.stir.StirVerifier;
import io.trunkline.sip.stir.ThrowawayCredentials;
import io.trunkline.sip.stir.VerificationResult;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.file.Files;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * STIR/SHAKEN cost per call on one thread: signing (SHA256withECDSAinP1363Format; the engine's path takes Amazon
 * Corretto Crypto Provider where it loads, and {@code signJdk} forks with {@code -Dtrunkline.stir.provider=jdk} for
 * the JDK's SunEC in the same run) and a terminating carrier's verification with the certificate already cached
 * and its chain validated.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Threads(1)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED"})
public class StirBenchmark {
    static final String X5U = "https://cert.trunkline.bench/sp.pem";
    StirSigner signer;
    StirVerifier verifier;
    String header;

    @Setup
    public void setup() throws Exception {
        ThrowawayCredentials c = ThrowawayCredentials.loadOrCreate(Files.createTempDirectory("stir-bench"), "bench");
        signer = new StirSigner(c.key(), X5U, Attestation.A, Clock.systemUTC());
        verifier = new StirVerifier(CertificateSource.of(Map.of(X5U, c.chain())), StirVerifier.anchors(c.chain()), Clock.systemUTC(), 3600);
        header = signer.sign("15550100001", List.of("15550100002"), Attestation.A, null).headerValue();
    }

    @Benchmark
    public SignedIdentity sign() {
        return signer.sign("15550100001", List.of("15550100002"), Attestation.A, null);
    }

    /** The same, signed by the JDK's provider: the baseline for {@link #sign}. */
    @Benchmark
    @Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-Dtrunkline.stir.provider=jdk"})
    public SignedIdentity signJdk() {
        return signer.sign("15550100001", List.of("15550100002"), Attestation.A, null);
    }

    /** Which provider signed (printed once per fork by setup), so a run shows what it measured. */
    @org.openjdk.jmh.annotations.TearDown
    public void provider() {
        System.out.println("signed by " + signer.provider());
    }

    @Benchmark
    public VerificationResult verify() {
        return verifier.verify(header, "15550100001", "15550100002");
    }
}
