package io.trunkline.sip.stir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the openssl command line: the independent implementation the interop tests check against. */
final class OpenSsl {
    private OpenSsl() {}

    static String run(Path dir, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add("openssl");
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS)) throw new IOException("openssl timed out");
        if (p.exitValue() != 0) throw new OpenSslFailure(String.join(" ", args) + ": " + out);
        return out;
    }

    /** openssl exited non-zero; for a verify that is the expected answer to a tampered token. */
    static final class OpenSslFailure extends IOException {
        OpenSslFailure(String message) { super(message); }
    }
}
