package io.trunkline.service.webhook;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/** HMAC-SHA256 computed by the openssl command line: a check independent of the JDK's Mac. */
final class OpensslHmac {
    private OpensslHmac() {}

    static String hex(byte[] secret, byte[]... message) throws Exception {
        Process p = new ProcessBuilder("openssl", "dgst", "-sha256", "-hmac", new String(secret, StandardCharsets.UTF_8))
                .redirectErrorStream(true).start();
        try (var in = p.getOutputStream()) {
            for (byte[] part : message) in.write(part);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        p.getInputStream().transferTo(out);
        if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) throw new AssertionError("openssl failed: " + out);
        String line = out.toString(StandardCharsets.US_ASCII).strip(); // "SHA2-256(stdin)= <hex>"
        return line.substring(line.lastIndexOf(' ') + 1);
    }
}
