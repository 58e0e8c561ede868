package io.trunkline.cli;

import io.trunkline.sip.stir.Attestation;
import io.trunkline.sip.stir.CertificateSource;
import io.trunkline.sip.stir.PemKeys;
import io.trunkline.sip.stir.SignedIdentity;
import io.trunkline.sip.stir.StirSigner;
import io.trunkline.sip.stir.StirVerifier;
import io.trunkline.sip.stir.VerificationResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;

/** STIR/SHAKEN tools for operators: make an Identity header, or check one as a terminating carrier would. */
@Command(name = "stir", mixinStandardHelpOptions = true, description = "Sign or verify STIR/SHAKEN Identity headers.",
        subcommands = {StirCommand.Sign.class, StirCommand.Verify.class})
final class StirCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    @Command(name = "sign", mixinStandardHelpOptions = true, description = "Print a full-form Identity header value on one line.")
    static final class Sign implements Callable<Integer> {
        @Option(names = "--key", required = true, paramLabel = "KEY.pem", description = "EC P-256 private key (PEM); passphrase from env TRUNKLINE_STIR_KEY_PASSPHRASE")
        Path key;

        @Option(names = "--x5u", required = true, paramLabel = "URL", description = "https URL of the signing certificate")
        String x5u;

        @Option(names = "--attest", required = true, paramLabel = "A|B|C")
        String attest;

        @Option(names = "--orig", required = true, paramLabel = "NUMBER")
        String orig;

        @Option(names = "--dest", required = true, paramLabel = "NUMBER")
        List<String> dest;

        @Option(names = "--origid", paramLabel = "UUID", description = "origid claim (default: a fresh UUID)")
        String origId;

        @Override
        public Integer call() {
            String passphrase = System.getenv("TRUNKLINE_STIR_KEY_PASSPHRASE");
            StirSigner signer = new StirSigner(PemKeys.readPrivateKey(key, passphrase == null ? null : passphrase.toCharArray()),
                    x5u, Attestation.A, Clock.systemUTC());
            if (origId != null) {
                try {
                    java.util.UUID.fromString(origId);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("--origid must be a UUID, got '" + origId + "'");
                }
            }
            SignedIdentity id = signer.sign(orig, dest, Attestation.parse("--attest", attest), origId);
            System.out.println(id.headerValue());
            return 0;
        }
    }

    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = "Decode and verify an Identity header value against a certificate; exit 1 when it fails.")
    static final class Verify implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "IDENTITY-HEADER-VALUE")
        String identity;

        @Option(names = "--cert", required = true, paramLabel = "CERT.pem", description = "the certificate x5u should serve")
        Path cert;

        @Option(names = "--ca", paramLabel = "CA.pem", description = "validate the certificate's chain against this root")
        Path ca;

        @Option(names = "--max-age", defaultValue = "60", paramLabel = "SECONDS", description = "iat freshness window, 0..86400; 0 = skip (default ${DEFAULT-VALUE})")
        long maxAge;

        @Option(names = "--orig", paramLabel = "NUMBER", description = "check orig.tn against this calling number")
        String orig;

        @Option(names = "--dest", paramLabel = "NUMBER", description = "check dest.tn against this called number")
        String dest;

        @Override
        public Integer call() {
            List<X509Certificate> chain = PemKeys.readCertificates(cert);
            CertificateSource pinned = x5u -> chain; // the operator vouches this is what x5u serves
            Set<java.security.cert.TrustAnchor> anchors = ca == null ? Set.of() : StirVerifier.anchors(PemKeys.readCertificates(ca));
            VerificationResult r = new StirVerifier(pinned, anchors, Clock.systemUTC(), maxAge).verify(identity, orig, dest);
            if (r.header() != null) System.out.println("header: " + Json.write(r.header()));
            if (r.claims() != null) System.out.println("claims: " + Json.write(r.claims()));
            if (r.valid()) {
                System.out.println("verdict: valid");
                return 0;
            }
            System.out.println("verdict: invalid " + r.code() + " " + r.phrase() + ": " + r.reason());
            return 1;
        }
    }
}
