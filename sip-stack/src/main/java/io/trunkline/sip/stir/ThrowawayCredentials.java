package io.trunkline.sip.stir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A self-signed EC P-256 key and certificate for the demo and tests, made once with the JDK's keytool and kept in a
 * PKCS#12 file. Never for production: a carrier trusts only certificates from an approved STI-CA.
 */
public record ThrowawayCredentials(PrivateKey key, X509Certificate certificate) {
    private static final char[] STORE_PASSWORD = "trunkline-demo".toCharArray(); // protects nothing of value: demo only
    private static final String ALIAS = "stir";

    public static ThrowawayCredentials loadOrCreate(Path dir, String commonName) throws IOException {
        Path store = dir.resolve("stir-demo.p12");
        if (!Files.exists(store)) create(dir, store, commonName);
        try (InputStream in = Files.newInputStream(store)) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(in, STORE_PASSWORD);
            return new ThrowawayCredentials((PrivateKey) ks.getKey(ALIAS, STORE_PASSWORD), (X509Certificate) ks.getCertificate(ALIAS));
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot read " + store + ": " + e.getClass().getSimpleName());
        }
    }

    public List<X509Certificate> chain() { return List.of(certificate); }

    private static void create(Path dir, Path store, String commonName) throws IOException {
        Files.createDirectories(dir);
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        Path tmp = dir.resolve("stir-demo.p12.tmp");
        Files.deleteIfExists(tmp);
        Process p = new ProcessBuilder(keytool.toString(), "-genkeypair", "-alias", ALIAS, "-keyalg", "EC", "-groupname", "secp256r1",
                "-sigalg", "SHA256withECDSA", "-dname", "CN=" + commonName, "-validity", "365", "-storetype", "PKCS12",
                // names loopback too, so tests can also serve it as the x5u host's TLS certificate
                "-ext", "SAN=dns:localhost,ip:127.0.0.1",
                "-keystore", tmp.toString(), "-storepass", new String(STORE_PASSWORD), "-keypass", new String(STORE_PASSWORD))
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) throw new IOException("keytool failed: " + out);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted running keytool");
        }
        Files.move(tmp, store, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    @Override
    public String toString() {
        return "ThrowawayCredentials[" + certificate.getSubjectX500Principal() + ", key hidden]";
    }
}
