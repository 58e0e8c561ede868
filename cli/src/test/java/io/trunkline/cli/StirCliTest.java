package io.trunkline.cli;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** `./trunkline stir sign|verify` with keys and certificates made by openssl. */
class StirCliTest {
    @TempDir
    static Path dir;

    static void openssl(String... args) throws Exception {
        String[] cmd = new String[args.length + 1];
        cmd[0] = "openssl";
        System.arraycopy(args, 0, cmd, 1, args.length);
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0, String.join(" ", cmd));
    }

    @BeforeAll
    static void keys() throws Exception {
        openssl("ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", "key.pem");
        openssl("req", "-x509", "-key", "key.pem", "-out", "cert.pem", "-days", "5", "-subj", "/CN=cli");
        openssl("pkcs8", "-topk8", "-v2", "aes-256-cbc", "-passout", "pass:pw", "-in", "key.pem", "-out", "enc.pem");
    }

    @Test
    void signThenVerifyAndATamperedTokenFails() {
        CliRun sign = CliRun.of("stir", "sign", "--key", dir.resolve("key.pem").toString(), "--x5u", "https://cert.test/cert.pem",
                "--attest", "B", "--orig", "+15550100001", "--dest", "+15550100002");
        assertEquals(0, sign.exitCode(), sign.err());
        String header = sign.out().trim();
        assertEquals(1, sign.out().trim().lines().count(), "one line");
        assertTrue(header.endsWith(";info=<https://cert.test/cert.pem>;alg=ES256;ppt=shaken"), header);
        assertFalse(sign.out().contains("PRIVATE") || sign.err().contains("PRIVATE"));

        CliRun ok = CliRun.of("stir", "verify", header, "--cert", dir.resolve("cert.pem").toString(), "--orig", "15550100001", "--dest", "15550100002");
        assertEquals(0, ok.exitCode(), ok.out());
        assertTrue(ok.out().contains("\"attest\":\"B\"") && ok.out().contains("verdict: valid"), ok.out());

        String[] seg = header.split("\\.");
        String flipped = seg[0] + "." + seg[1].substring(0, 10) + (seg[1].charAt(10) == 'A' ? 'B' : 'A') + seg[1].substring(11) + "." + seg[2];
        CliRun bad = CliRun.of("stir", "verify", flipped, "--cert", dir.resolve("cert.pem").toString());
        assertEquals(1, bad.exitCode(), bad.out());
        assertTrue(bad.out().contains("verdict: invalid 438"), bad.out());

        CliRun wrongDest = CliRun.of("stir", "verify", header, "--cert", dir.resolve("cert.pem").toString(), "--dest", "15550109999");
        assertEquals(1, wrongDest.exitCode());
        assertTrue(wrongDest.out().contains("438"), wrongDest.out());
    }

    @Test
    void badArgumentsAndKeysGiveClearErrors() {
        CliRun attest = CliRun.of("stir", "sign", "--key", dir.resolve("key.pem").toString(), "--x5u", "https://c/x.pem",
                "--attest", "D", "--orig", "15550100001", "--dest", "15550100002");
        assertEquals(2, attest.exitCode());
        assertTrue(attest.err().contains("--attest must be A, B or C"), attest.err());
        CliRun encrypted = CliRun.of("stir", "sign", "--key", dir.resolve("enc.pem").toString(), "--x5u", "https://c/x.pem",
                "--attest", "A", "--orig", "15550100001", "--dest", "15550100002");
        assertEquals(2, encrypted.exitCode());
        assertTrue(encrypted.err().contains("encrypted and no passphrase"), encrypted.err());
        CliRun missing = CliRun.of("stir", "sign", "--key", dir.resolve("nope.pem").toString(), "--x5u", "https://c/x.pem",
                "--attest", "A", "--orig", "15550100001", "--dest", "15550100002");
        assertEquals(2, missing.exitCode());
        assertTrue(missing.err().contains("key file not found"), missing.err());
        CliRun number = CliRun.of("stir", "sign", "--key", dir.resolve("key.pem").toString(), "--x5u", "https://c/x.pem",
                "--attest", "A", "--orig", "CALL-ME", "--dest", "15550100002");
        assertEquals(2, number.exitCode());
        assertTrue(number.err().contains("orig must be a telephone number"), number.err());
    }
}
