package io.trunkline.sip.stir;

import java.io.IOException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;

/** Where a verifier gets the certificate chain an x5u names: HTTPS in production, a map in tests and the simulator. */
@FunctionalInterface
public interface CertificateSource {
    /** The chain, end-entity first; throws IOException when the URL cannot be fetched or parsed. */
    List<X509Certificate> fetch(String x5u) throws IOException;

    static CertificateSource of(Map<String, List<X509Certificate>> chains) {
        Map<String, List<X509Certificate>> copy = Map.copyOf(chains);
        return x5u -> {
            List<X509Certificate> chain = copy.get(x5u);
            if (chain == null) throw new IOException("no certificate at " + x5u);
            return chain;
        };
    }
}
