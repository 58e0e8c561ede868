package io.trunkline.sip.stir;

import javax.crypto.Cipher;
import javax.crypto.EncryptedPrivateKeyInfo;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Reads the EC P-256 signing key and X.509 certificates from PEM. Accepts PKCS#8 ("PRIVATE KEY"), SEC1
 * ("EC PRIVATE KEY") and encrypted PKCS#8 ("ENCRYPTED PRIVATE KEY") with a passphrase. Errors say what is wrong with
 * the file and never quote its contents.
 */
public final class PemKeys {
    /** The order n of NIST P-256 (secp256r1): a key on any other curve is refused. */
    private static final BigInteger P256_ORDER = new BigInteger("FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551", 16);
    /** DER of AlgorithmIdentifier { id-ecPublicKey, prime256v1 }, to wrap a SEC1 key as PKCS#8. */
    private static final byte[] EC_P256_ALGORITHM = HexBytes.of("301306072a8648ce3d020106082a8648ce3d030107");

    private PemKeys() {}

    public static PrivateKey readPrivateKey(Path file, char[] passphrase) {
        String pem;
        try {
            pem = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("STIR/SHAKEN key file not found: " + file);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read STIR/SHAKEN key file " + file + ": " + e.getClass().getSimpleName());
        }
        return parsePrivateKey(pem, passphrase, file.toString());
    }

    static PrivateKey parsePrivateKey(String pem, char[] passphrase, String source) {
        try {
            PrivateKey key;
            if (pem.contains("-----BEGIN ENCRYPTED PRIVATE KEY-----")) {
                if (passphrase == null || passphrase.length == 0) {
                    throw new IllegalArgumentException("STIR/SHAKEN key " + source + " is encrypted and no passphrase was given");
                }
                EncryptedPrivateKeyInfo info = new EncryptedPrivateKeyInfo(block(pem, "ENCRYPTED PRIVATE KEY", source));
                SecretKeyFactory f = SecretKeyFactory.getInstance(info.getAlgName());
                Cipher cipher = Cipher.getInstance(info.getAlgName());
                cipher.init(Cipher.DECRYPT_MODE, f.generateSecret(new PBEKeySpec(passphrase)), info.getAlgParameters());
                key = ecKey(info.getKeySpec(cipher).getEncoded());
            } else if (pem.contains("-----BEGIN PRIVATE KEY-----")) {
                key = ecKey(block(pem, "PRIVATE KEY", source));
            } else if (pem.contains("-----BEGIN EC PRIVATE KEY-----")) {
                byte[] sec1 = block(pem, "EC PRIVATE KEY", source);
                if (!isP256Sec1(sec1)) {
                    throw new IllegalArgumentException("STIR/SHAKEN key " + source + " is not an EC P-256 key (ES256 needs P-256)");
                }
                key = ecKey(sec1ToPkcs8(sec1));
            } else {
                throw new IllegalArgumentException("STIR/SHAKEN key " + source + " has no PEM private key block");
            }
            if (!(key instanceof ECKey ec) || !P256_ORDER.equals(ec.getParams().getOrder())) {
                throw new IllegalArgumentException("STIR/SHAKEN key " + source + " is not an EC P-256 key (ES256 needs P-256)");
            }
            return key;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalArgumentException("STIR/SHAKEN key " + source + " cannot be read as EC P-256"
                    + (pem.contains("ENCRYPTED") ? " (wrong passphrase?)" : "") + ": " + e.getClass().getSimpleName());
        }
    }

    public static List<X509Certificate> readCertificates(Path file) {
        try {
            return parseCertificates(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read certificate file " + file + ": " + e.getClass().getSimpleName());
        }
    }

    public static List<X509Certificate> parseCertificates(byte[] pemOrDer) {
        try {
            CertificateFactory cf = CertificateFactory.getInstance("X.509");
            List<X509Certificate> out = new ArrayList<>();
            for (var c : cf.generateCertificates(new ByteArrayInputStream(pemOrDer))) out.add((X509Certificate) c);
            if (out.isEmpty()) throw new IllegalArgumentException("no certificate found");
            return out;
        } catch (java.security.cert.CertificateException e) {
            throw new IllegalArgumentException("not an X.509 certificate: " + e.getMessage());
        }
    }

    private static PrivateKey ecKey(byte[] pkcs8) throws GeneralSecurityException {
        try {
            return KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
        } catch (java.security.spec.InvalidKeySpecException e) {
            throw new IllegalArgumentException("key is not an EC key (ES256 needs EC P-256)");
        }
    }

    private static byte[] block(String pem, String type, String source) {
        String begin = "-----BEGIN " + type + "-----";
        String end = "-----END " + type + "-----";
        int b = pem.indexOf(begin);
        int e = pem.indexOf(end, b);
        if (b < 0 || e < 0) throw new IllegalArgumentException("STIR/SHAKEN key " + source + ": unterminated " + type + " block");
        try {
            return Base64.getMimeDecoder().decode(pem.substring(b + begin.length(), e));
        } catch (IllegalArgumentException ex) {
            throw new IllegalArgumentException("STIR/SHAKEN key " + source + ": bad base64 in " + type + " block");
        }
    }

    /**
     * SEC1 ECPrivateKey { version, privateKey OCTET STRING, [0] parameters, ... }: the scalar must be 32 bytes and
     * the named curve, when present, prime256v1. Checked before wrapping, because the PKCS#8 wrapper names the curve
     * and the JDK would otherwise read a P-384 scalar as a (wrong) P-256 key.
     */
    static boolean isP256Sec1(byte[] d) {
        try {
            int i = skipHeader(d, 0);          // SEQUENCE
            i = skipTlv(d, i);                  // version INTEGER
            if (d[i] != 0x04) return false;     // privateKey OCTET STRING
            int len = d[i + 1] & 0xff;
            if (len != 32) return false;
            i = i + 2 + len;
            if (i < d.length && (d[i] & 0xff) == 0xA0) {
                byte[] p256 = HexBytes.of("06082a8648ce3d030107");
                int start = skipHeader(d, i);
                return java.util.Arrays.equals(java.util.Arrays.copyOfRange(d, start, start + p256.length), p256);
            }
            return true;
        } catch (ArrayIndexOutOfBoundsException e) {
            return false;
        }
    }

    private static int skipHeader(byte[] d, int i) {
        int len = d[i + 1] & 0xff;
        return i + 2 + ((len & 0x80) != 0 ? (len & 0x7f) : 0);
    }

    private static int skipTlv(byte[] d, int i) {
        int first = d[i + 1] & 0xff;
        int n = first;
        int header = 2;
        if ((first & 0x80) != 0) {
            n = 0;
            for (int k = 0; k < (first & 0x7f); k++) n = (n << 8) | (d[i + 2 + k] & 0xff);
            header += first & 0x7f;
        }
        return i + header + n;
    }

    /** PKCS#8 PrivateKeyInfo { version 0, AlgorithmIdentifier(ecPublicKey, P-256), OCTET STRING sec1 }. */
    static byte[] sec1ToPkcs8(byte[] sec1) {
        byte[] version = {0x02, 0x01, 0x00};
        byte[] octets = der(0x04, sec1);
        byte[] body = new byte[version.length + EC_P256_ALGORITHM.length + octets.length];
        System.arraycopy(version, 0, body, 0, version.length);
        System.arraycopy(EC_P256_ALGORITHM, 0, body, version.length, EC_P256_ALGORITHM.length);
        System.arraycopy(octets, 0, body, version.length + EC_P256_ALGORITHM.length, octets.length);
        return der(0x30, body);
    }

    private static byte[] der(int tag, byte[] content) {
        int n = content.length;
        byte[] len = n < 128 ? new byte[] {(byte) n} : n < 256 ? new byte[] {(byte) 0x81, (byte) n}
                : new byte[] {(byte) 0x82, (byte) (n >> 8), (byte) n};
        byte[] out = new byte[1 + len.length + n];
        out[0] = (byte) tag;
        System.arraycopy(len, 0, out, 1, len.length);
        System.arraycopy(content, 0, out, 1 + len.length, n);
        return out;
    }

    private static final class HexBytes {
        static byte[] of(String hex) {
            return java.util.HexFormat.of().parseHex(hex);
        }
    }
}
