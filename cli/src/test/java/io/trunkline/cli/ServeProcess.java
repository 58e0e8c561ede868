package io.trunkline.cli;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** `trunkline serve --config FILE` in its own JVM, with the launcher's JVM options; its output goes to a log file. */
record ServeProcess(Process process, int port, Path log) {
    static ServeProcess start(Path dir, Path config, Map<String, String> env) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder pb = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow",
                // a bounded heap, as an operator would give it: an ended call must not stay behind (a leak once ran
                // a node out of 512 MB after a few thousand calls)
                "-XX:+UseZGC", "-Xmx384m", "-Dtrunkline.home=" + dir.resolve("home"), "-cp", System.getProperty("java.class.path"),
                "io.trunkline.cli.TrunklineCli", "serve", "--config", config.toString())
                .directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        CompletableFuture<Integer> port = new CompletableFuture<>();
        Path out = dir.resolve("serve-" + p.pid() + ".log");
        Thread reader = new Thread(() -> {
            Pattern listening = Pattern.compile("dialer service on http://[^:]+:(\\d+)");
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
                 var w = Files.newBufferedWriter(out)) {
                for (String line; (line = r.readLine()) != null; ) {
                    w.write(line);
                    w.newLine();
                    w.flush();
                    Matcher m = listening.matcher(line);
                    if (m.find()) port.complete(Integer.parseInt(m.group(1)));
                }
            } catch (java.io.IOException ignored) {
                // the process was killed
            }
            port.completeExceptionally(new IllegalStateException("serve exited before listening; see " + out));
        }, "serve-output");
        reader.setDaemon(true);
        reader.start();
        try {
            return new ServeProcess(p, port.get(60, TimeUnit.SECONDS), out);
        } catch (Exception e) {
            p.destroyForcibly();
            throw new AssertionError("serve did not start: " + (Files.exists(out) ? Files.readString(out) : ""), e);
        }
    }
}
