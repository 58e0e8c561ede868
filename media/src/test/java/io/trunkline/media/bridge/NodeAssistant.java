package io.trunkline.media.bridge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Assumptions;

/**
 * The Node assistant server (src/test/node/assistant-server.js on the ws library) as a child process: the peer the
 * bridge tests talk to. Its stdout is one JSON object per line, collected here for the assertions.
 */
final class NodeAssistant implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path SOURCE = Path.of("src/test/node");
    private static final Path WORK = Path.of("target/node-assistant");

    private final Process process;
    private final List<JsonNode> lines = new ArrayList<>();
    private final int port;

    private NodeAssistant(List<String> args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("node", WORK.resolve("assistant-server.js").toString()));
        cmd.addAll(args);
        process = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        Thread reader = new Thread(this::readLines, "node-assistant-stdout");
        reader.setDaemon(true);
        reader.start();
        port = await(l -> l.path("type").asText().equals("listening"), Duration.ofSeconds(10)).path("port").asInt();
    }

    /** Starts the server with the given options, installing ws into target/ first if needed. */
    static NodeAssistant start(String... args) throws Exception {
        prepare();
        return new NodeAssistant(List.of(args));
    }

    int port() {
        return port;
    }

    /** The first line matching, waiting for it up to the timeout. */
    JsonNode await(Predicate<JsonNode> match, Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        synchronized (lines) {
            while (true) {
                for (JsonNode l : lines) if (match.test(l)) return l;
                long left = end - System.nanoTime();
                if (left <= 0) throw new AssertionError("the Node assistant did not report the expected line in " + timeout + "; got " + lines);
                TimeUnit.NANOSECONDS.timedWait(lines, left);
            }
        }
    }

    JsonNode awaitReceived(String event, Duration timeout) throws InterruptedException {
        return await(l -> l.path("type").asText().equals("recv") && l.path("msg").path("event").asText().equals(event), timeout);
    }

    List<JsonNode> lines(Predicate<JsonNode> match) {
        synchronized (lines) {
            return lines.stream().filter(match).toList();
        }
    }

    List<JsonNode> media() {
        return lines(l -> l.path("type").asText().equals("media"));
    }

    /** SIGKILL: the assistant dies without a close frame, as a crashed service does. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(5, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        kill();
    }

    private void readLines() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) {
                JsonNode node = JSON.readTree(line);
                synchronized (lines) {
                    lines.add(node);
                    lines.notifyAll();
                }
            }
        } catch (IOException e) {
            // the process was killed: nothing more to read
        }
    }

    /**
     * Copies the script and its lock file into target/ and runs {@code npm ci} there once. Without node/npm the
     * tests are skipped locally, but fail under CI, where a skip would hide that the bridge was never tested.
     */
    private static synchronized void prepare() throws Exception {
        boolean tools = runs("node", "--version") && runs("npm", "--version");
        if (!tools && "true".equals(System.getenv("CI"))) throw new AssertionError("CI must provide node and npm for the Media Streams bridge tests");
        Assumptions.assumeTrue(tools, "node and npm are not installed: skipping the Media Streams bridge tests against the ws assistant");
        Files.createDirectories(WORK);
        for (String f : List.of("package.json", "package-lock.json", "assistant-server.js")) {
            Files.copy(SOURCE.resolve(f), WORK.resolve(f), StandardCopyOption.REPLACE_EXISTING);
        }
        if (!Files.isDirectory(WORK.resolve("node_modules/ws"))) {
            Process npm = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund").directory(WORK.toFile())
                    .redirectErrorStream(true).start();
            String out = new String(npm.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!npm.waitFor(120, TimeUnit.SECONDS) || npm.exitValue() != 0) throw new AssertionError("npm ci failed:\n" + out);
        }
    }

    private static boolean runs(String... cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
