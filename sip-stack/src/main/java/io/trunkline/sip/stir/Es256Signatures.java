package io.trunkline.sip.stir;

import com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider;
import com.amazon.corretto.crypto.provider.SelfTestStatus;

import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.Signature;

/**
 * Where the ES256 signatures of PASSporTs come from. Amazon Corretto Crypto Provider (AWS-LC underneath) signs about
 * ten times as many per core as the JDK's SunEC, which at 5,000 CPS would need more than a core for signing alone;
 * it is used where its native library loads on this platform and takes the key, and the JDK's provider otherwise.
 * Either way the signature is the same P1363 R‖S that JWS ES256 carries, and verifies under the other.
 *
 * <p>ACCP is used for this one algorithm only, never installed as a global provider, so TLS and everything else
 * keep the JDK's providers. {@code -Dtrunkline.stir.provider=jdk} forces the JDK's (for comparison in benchmarks).
 */
final class Es256Signatures {
    /** P1363 is the raw 64-byte R‖S that JWS ES256 carries; the DER default would be wrong. */
    static final String ALGORITHM = "SHA256withECDSAinP1363Format";

    private static final Provider ACCP = loadAccp();

    private Es256Signatures() {}

    /** A signature object initialised for signing with {@code key}, from the fastest provider that accepts it. */
    static Signature forSigning(PrivateKey key) {
        Provider accp = ACCP;
        if (accp != null) {
            try {
                Signature s = Signature.getInstance(ALGORITHM, accp);
                s.initSign(key);
                return s;
            } catch (GeneralSecurityException | RuntimeException e) {
                // a key ACCP does not take (another curve's, a hardware token's): the JDK signs it
            }
        }
        try {
            Signature s = Signature.getInstance(ALGORITHM);
            s.initSign(key);
            return s;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("ES256 is not available in this JDK: " + e.getClass().getSimpleName(), e);
        }
    }

    /** ACCP when it loaded and passed its self-tests here; null when it did not, or the JDK's provider is asked for. */
    private static Provider loadAccp() {
        if ("jdk".equals(System.getProperty("trunkline.stir.provider"))) return null;
        try {
            AmazonCorrettoCryptoProvider p = AmazonCorrettoCryptoProvider.INSTANCE;
            return p.getLoadingError() == null && p.runSelfTests() == SelfTestStatus.PASSED ? p : null;
        } catch (LinkageError | RuntimeException e) { // no native library for this platform, or it failed its tests
            return null;
        }
    }
}
