package io.trunkline.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A real SIP peer (baresip, kamailio) run as a child process for an interop test, stopped on close. */
final class PeerProcess implements AutoCloseable {
    final Process process;
    final Path log;

    private PeerProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    static PeerProcess start(Path dir, Path log, List<String> command) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        return new PeerProcess(pb.start(), log);
    }

    /** Copies a classpath folder of peer configuration into {@code dir}. */
    static void copyResource(String resource, Path dir, String... names) throws IOException {
        Files.createDirectories(dir);
        for (String n : names) {
            try (InputStream in = PeerProcess.class.getResourceAsStream("/peers/" + resource + "/" + n)) {
                if (in == null) throw new IOException("missing test resource peers/" + resource + "/" + n);
                Files.copy(in, dir.resolve(n));
            }
        }
    }

    /** Waits until an OPTIONS to {@code port} on loopback is answered, or fails with the peer's log. */
    void awaitSip(int port, long timeoutMs) throws IOException, InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMs;
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            s.setSoTimeout(300);
            int local = s.getLocalPort();
            while (System.currentTimeMillis() < deadline) {
                if (!process.isAlive()) throw new IllegalStateException("peer exited: " + Files.readString(log));
                String options = "OPTIONS sip:127.0.0.1:" + port + " SIP/2.0\r\n"
                        + "Via: SIP/2.0/UDP 127.0.0.1:" + local + ";branch=z9hG4bK-probe" + System.nanoTime() + ";rport\r\n"
                        + "Max-Forwards: 70\r\nFrom: <sip:probe@127.0.0.1>;tag=p1\r\nTo: <sip:127.0.0.1:" + port + ">\r\n"
                        + "Call-ID: probe-" + System.nanoTime() + "@127.0.0.1\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n";
                byte[] b = options.getBytes(StandardCharsets.US_ASCII);
                s.send(new DatagramPacket(b, b.length, new InetSocketAddress("127.0.0.1", port)));
                try {
                    DatagramPacket p = new DatagramPacket(new byte[4096], 4096);
                    s.receive(p);
                    return;
                } catch (SocketTimeoutException e) {
                    Thread.sleep(100);
                }
            }
        }
        throw new IllegalStateException("peer did not answer OPTIONS on " + port + ": " + Files.readString(log));
    }

    String logText() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
    }
}
