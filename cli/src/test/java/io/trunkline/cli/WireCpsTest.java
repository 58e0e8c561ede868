package io.trunkline.cli;

import io.trunkline.sim.CarrierSimulator;
import io.trunkline.sim.SimConfig;
import io.trunkline.sip.transport.TransportConfig;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The CPS limit as the carrier polices it: `run --cps 50` captured on the wire by tshark (the first transmission of
 * each INVITE, by Call-ID, at the capture's timestamps), never more than 50 in any one-second window. Internal counters are not the evidence: a pacer's own bookkeeping said 50 while
 * a capture showed 52 in some second.
 */
class WireCpsTest {
    private static final int CPS = 50;
    private static final int CALLS = 600;

    @TempDir
    Path dir;

    @Test
    void noSecondOnTheWireHoldsMoreInvitesThanTheLimit() throws Exception {
        boolean tshark = new ProcessBuilder("sh", "-c", "command -v tshark").start().waitFor() == 0;
        if (!tshark) {
            if ("true".equals(System.getenv("CI"))) throw new AssertionError("CI=true but tshark is missing: scripts/test.sh installs it");
            Assumptions.abort("tshark is not installed");
        }
        try (CarrierSimulator sim = CarrierSimulator.start(SimConfig.answerAll().withRingMs(0).withHoldMs(100), TransportConfig.loopback(0, -1).withThreads(1))) {
            int port = sim.udpAddress().getPort();
            Path capture = dir.resolve("invites.tsv"), capLog = dir.resolve("tshark.log");
            Process cap = new ProcessBuilder("tshark", "-i", "lo", "-l", "-n", "-f", "udp dst port " + port, "-d", "udp.port==" + port + ",sip",
                    "-Y", "sip.Method == \"INVITE\"", "-T", "fields", "-e", "frame.time_epoch", "-e", "sip.Call-ID")
                    .redirectOutput(capture.toFile()).redirectError(capLog.toFile()).start();
            try {
                long ready = System.nanoTime() + 20_000_000_000L;
                while (!Files.readString(capLog).contains("Capturing on") && System.nanoTime() < ready && cap.isAlive()) Thread.sleep(50);
                assertTrue(Files.readString(capLog).contains("Capturing on"), "tshark did not start: " + Files.readString(capLog));
                Thread.sleep(500); // the capture filter is in place once tshark says so; a margin for its first read

                Path numbers = dir.resolve("numbers.txt");
                StringBuilder list = new StringBuilder();
                for (int i = 0; i < CALLS; i++) list.append("+1555094").append(String.format("%04d", i)).append('\n');
                Files.writeString(numbers, list);
                CliRun run = CliRun.of("run", "--trunk", "sip:127.0.0.1:" + port, "--numbers", numbers.toString(), "--cps", String.valueOf(CPS),
                        "--concurrency", "200", "--hangup-after", "0", "--cdr", dir.resolve("cdr.jsonl").toString());
                assertEquals(0, run.exitCode(), run.out() + run.err());
                Thread.sleep(1000); // the last packets through tshark's pipe
            } finally {
                new ProcessBuilder("kill", "-INT", String.valueOf(cap.pid())).start().waitFor();
                cap.waitFor(10, TimeUnit.SECONDS);
                cap.destroyForcibly();
            }
            Map<String, Double> first = new HashMap<>();
            for (String l : Files.readAllLines(capture, StandardCharsets.UTF_8)) {
                String[] f = l.split("\t");
                if (f.length < 2 || f[1].isBlank()) continue;
                first.merge(f[1].trim(), Double.parseDouble(f[0]), Math::min);
            }
            assertEquals(CALLS, first.size(), "tshark saw every INVITE (first transmissions by Call-ID)");
            List<Long> at = new ArrayList<>();
            for (double t : first.values()) at.add(Math.round(t * 1e6)); // µs
            at.sort(null);
            int worst = MultiNodeCampaignTest.maxInWindow(at, 1_000_000); // µs
            double rate = (at.size() - 1) / ((at.get(at.size() - 1) - at.get(0)) / 1e6);
            int[] perSecond = new int[(int) ((at.get(at.size() - 1) - at.get(0)) / 1_000_000) + 1];
            for (long t : at) perSecond[(int) ((t - at.get(0)) / 1_000_000)]++;
            System.out.println("wire: INVITEs in each second from the first: " + java.util.Arrays.toString(perSecond));
            System.out.printf("wire: %d INVITEs at --cps %d, densest one-second window %d, achieved %.2f CPS (%.3f of the limit)%n",
                    at.size(), CPS, worst, rate, rate / CPS);
            assertTrue(worst <= CPS, "a one-second window on the wire held " + worst + " INVITEs; the limit is " + CPS);
            // measured 0.986 in this 12 s run from a cold JVM (the target is 0.99; the cold JIT's late sends
            // hold the window back): this bounds a regression, it does not claim the target
            assertTrue(rate >= 0.97 * CPS, "achieved " + rate + " CPS, under 0.97 of " + CPS);
        }
    }
}
