package io.trunkline.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;

/** Runs a ./trunkline command in-process and captures what it prints. */
record CliRun(int exitCode, String out, String err) {
    static synchronized CliRun of(String... args) {
        PrintStream original = System.out, originalErr = System.err;
        ByteArrayOutputStream buffer = new ByteArrayOutputStream(), errBuffer = new ByteArrayOutputStream();
        StringWriter err = new StringWriter();
        try (PrintStream capture = new PrintStream(buffer, true, StandardCharsets.UTF_8);
             PrintStream errCapture = new PrintStream(errBuffer, true, StandardCharsets.UTF_8)) {
            System.setOut(capture);
            System.setErr(errCapture); // progress bars go to stderr
            var cl = TrunklineCli.commandLine();
            cl.setErr(new PrintWriter(err, true));
            int code = cl.execute(args);
            return new CliRun(code, buffer.toString(StandardCharsets.UTF_8), err + errBuffer.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(original);
            System.setErr(originalErr);
        }
    }
}
