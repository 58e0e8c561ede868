package io.trunkline.cli;

import io.trunkline.sim.CarrierSimulator;
import io.trunkline.sim.SimConfig;
import io.trunkline.sip.transport.TransportConfig;
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
 * `./trunkline run` stopped by a real signal mid-run, in its own JVM, against the simulator: what the carrier saw
 * (its INVITE log, its CANCEL and BYE counts) against the CDR file. No call may be left up, and every number the
 * carrier was sent an INVITE for has one complete CDR line.
 */
class RunStopTest {
    @TempDir
    Path dir;

    @Test
    void sigtermCancelsRingingCallsByesAnsweredOnesAfterTheGraceAndWritesEveryCdr() throws Exception {
        Result r = runAndSignal("TERM", 1, 2);
        assertEquals(143, r.exit, r.output);
        assertTrue(r.cancelled > 0, "calls still ringing were CANCELled: " + r.output);
        assertTrue(r.answered > 0, "and some had been answered");
        // hung up only after the grace: the answered calls held on for the 2 s given
        assertTrue(r.stopMillis >= 1800, "answered calls kept their grace: " + r.stopMillis + " ms");
    }

    @Test
    void aSecondSigintEndsTheGraceAtOnceAndStillWritesEveryCdr() throws Exception {
        Result r = runAndSignal("INT", 2, 60);
        assertEquals(130, r.exit, r.output);
        assertTrue(r.stopMillis < 20_000, "the second signal cut a 60 s grace short: " + r.stopMillis + " ms");
    }

    private record Result(int exit, long cancelled, long answered, long stopMillis, String output) {}

    /** Runs 300 numbers at 20 CPS, each answered call held 120 s; after 60 INVITEs sends {@code signals} signals. */
    private Result runAndSignal(String signal, int signals, int graceSeconds) throws Exception {
        // ring 1.5 s: at 20 CPS some thirty calls are ringing at any moment, the rest answered and held by us
        try (CarrierSimulator sim = CarrierSimulator.start(SimConfig.answerAll().withRingMs(1500), TransportConfig.loopback(0, -1).withThreads(1))) {
            Path invites = dir.resolve("invites.log");
            sim.logInvitesTo(invites);
            Path numbers = dir.resolve("numbers.txt");
            StringBuilder list = new StringBuilder();
            for (int i = 0; i < 300; i++) list.append("+1555093").append(String.format("%04d", i)).append('\n');
            Files.writeString(numbers, list);
            Path cdr = dir.resolve("cdr.jsonl");
            String java = ProcessHandle.current().info().command().orElse("java");
            Process p = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow", "-XX:+UseZGC",
                    "-cp", System.getProperty("java.class.path"), "io.trunkline.cli.TrunklineCli", "run",
                    "--trunk", "sip:127.0.0.1:" + sim.udpAddress().getPort(), "--numbers", numbers.toString(), "--cps", "20",
                    "--concurrency", "100", "--hangup-after", "120", "--grace", String.valueOf(graceSeconds), "--cdr", cdr.toString())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("run.log").toFile()).start();
            try {
                long deadline = System.nanoTime() + 60_000_000_000L;
                while (MultiNodeCampaignTest.invites(invites).size() < 60 && System.nanoTime() < deadline && p.isAlive()) Thread.sleep(50);
                assertTrue(MultiNodeCampaignTest.invites(invites).size() >= 60, "the run got going: " + Files.readString(dir.resolve("run.log")));
                long t0 = System.nanoTime();
                for (int i = 0; i < signals; i++) {
                    assertEquals(0, new ProcessBuilder("kill", "-" + signal, String.valueOf(p.pid())).start().waitFor());
                    Thread.sleep(1000);
                }
                assertTrue(p.waitFor(90, TimeUnit.SECONDS), "the run stopped");
                long stopMillis = (System.nanoTime() - t0) / 1_000_000;
                String output = Files.readString(dir.resolve("run.log"));

                // the carrier's side: nothing left up (each ACKed call got our BYE), and no INVITE after the stop settles
                long settle = System.nanoTime() + 5_000_000_000L;
                while (sim.stats().byesReceived() < sim.stats().confirmed() && System.nanoTime() < settle) Thread.sleep(50);
                assertEquals(sim.stats().confirmed(), sim.stats().byesReceived(), "every answered call was hung up: " + sim.stats());

                // every line a whole JSON object; every number the carrier got an INVITE for has exactly one CDR
                Map<String, Map<?, ?>> byNumber = new HashMap<>();
                for (String l : Files.readAllLines(cdr, StandardCharsets.UTF_8)) {
                    Map<?, ?> m = Json.MAPPER.readValue(l, Map.class);
                    assertTrue(byNumber.put((String) m.get("to"), m) == null, "one CDR per call: " + m.get("to"));
                }
                List<String[]> sent = MultiNodeCampaignTest.invites(invites);
                java.util.Set<String> invited = new java.util.HashSet<>();
                for (String[] l : sent) invited.add("+" + l[2]);
                for (String n : invited) assertTrue(byNumber.containsKey(n), "a CDR for " + n + " which the carrier saw an INVITE for");
                long dialledCdrs = byNumber.values().stream().filter(m -> m.get("inviteSent") != null).count();
                assertEquals(invited.size(), dialledCdrs, "CDRs with an INVITE sent = numbers the carrier saw");
                assertTrue(invited.size() < 300, "stopped midway: " + invited.size());
                System.out.printf("run stopped by SIG%s x%d: exit %d after %d ms; carrier saw %d INVITEs, %d answered, %d CANCELs, %d BYEs;"
                                + " %d CDR lines, %d of them with an INVITE sent%n", signal, signals, p.exitValue(), stopMillis, invited.size(),
                        sim.stats().answered(), sim.stats().cancelled(), sim.stats().byesReceived(), byNumber.size(), dialledCdrs);
                return new Result(p.exitValue(), sim.stats().cancelled(), sim.stats().answered(), stopMillis, output);
            } finally {
                p.destroyForcibly();
            }
        }
    }
}
