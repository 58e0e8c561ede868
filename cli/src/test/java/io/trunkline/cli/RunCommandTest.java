package io.trunkline.cli;

import io.trunkline.sim.Behavior;
import io.trunkline.sim.CarrierSimulator;
import io.trunkline.sim.SimConfig;
import io.trunkline.sip.transport.TransportConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** `./trunkline run`: a CSV of numbers through the engine, paced, with one CDR per call. */
class RunCommandTest {
    @TempDir
    Path dir;

    @Test
    void dialsTheListAndWritesOneCdrPerCall() throws Exception {
        try (CarrierSimulator sim = CarrierSimulator.start(SimConfig.answerAll().withNumber("15550900003", Behavior.BUSY),
                TransportConfig.loopback(0, -1).withThreads(1))) {
            Path numbers = dir.resolve("numbers.csv");
            // a quoted field with a comma in it is one field (read as CSV, not split on commas)
            Files.writeString(numbers, "name,phone,notes\n\"Lovelace, Ada\",+15550900001,x\nB,+15550900002,\"y, z\"\nC,+15550900003,z\nD,15550900004,w\n");
            Path cdr = dir.resolve("cdr.jsonl");
            CliRun run = CliRun.of("run", "--trunk", "sip:127.0.0.1:" + sim.udpAddress().getPort(), "--numbers", numbers.toString(),
                    "--cps", "4", "--hangup-after", "0", "--cdr", cdr.toString());
            assertEquals(0, run.exitCode(), run.out() + run.err());
            List<String> lines = Files.readAllLines(cdr);
            assertEquals(4, lines.size());
            Map<String, Long> reasons = new java.util.TreeMap<>();
            for (String l : lines) {
                Map<?, ?> m = Json.MAPPER.readValue(l, Map.class);
                reasons.merge((String) m.get("reason"), 1L, Long::sum);
                assertTrue(((String) m.get("to")).startsWith("+1555090000"), l);
            }
            assertEquals(Map.of("completed", 3L, "busy", 1L), reasons);
            assertTrue(run.err().contains("4/4 done"), "progress on stderr: " + run.err());
            assertEquals("CDRs written to " + cdr.toAbsolutePath(), run.out().strip(), "stdout holds only the result");
            assertEquals(4, sim.stats().invites());
        }
    }

    /** The toll-fraud default through `run`: premium-rate and IRSF numbers get a CDR naming the rule, and no INVITE. */
    @Test
    void refusedDestinationsGetACdrNamingTheRuleAndNoInvite() throws Exception {
        try (CarrierSimulator sim = CarrierSimulator.start(SimConfig.answerAll(), TransportConfig.loopback(0, -1).withThreads(1))) {
            Path numbers = dir.resolve("fraud.txt");
            Files.writeString(numbers, "+15550900001\n+19002345678\n+8823901234\n");
            Path cdr = dir.resolve("fraud.jsonl");
            CliRun run = CliRun.of("run", "--trunk", "sip:127.0.0.1:" + sim.udpAddress().getPort(), "--numbers", numbers.toString(),
                    "--cps", "4", "--hangup-after", "0", "--cdr", cdr.toString());
            assertEquals(0, run.exitCode(), run.out() + run.err());
            Map<String, String> why = new java.util.TreeMap<>();
            for (String l : Files.readAllLines(cdr)) {
                Map<?, ?> m = Json.MAPPER.readValue(l, Map.class);
                why.put((String) m.get("to"), m.get("reason") + ": " + m.get("sipReason"));
            }
            assertEquals(Map.of("+15550900001", "completed: hangup by us",
                    "+19002345678", "failed: destination refused: premium-rate (policy deny_types)",
                    "+8823901234", "failed: destination refused: +882 (policy deny_prefixes)"), why);
            assertEquals(1, sim.stats().invites(), "only the allowed number reached the carrier");
        }
    }

    @Test
    void configFileDrivesTheRunAndItsErrorsNameTheirPaths() throws Exception {
        try (CarrierSimulator sim = CarrierSimulator.start(SimConfig.answerAll(), TransportConfig.loopback(0, -1).withThreads(1))) {
            Path numbers = dir.resolve("n.txt");
            Files.writeString(numbers, "+15550910001\n+15550910002\n");
            Path config = dir.resolve("engine.yaml");
            Files.writeString(config, "listen: {address: 127.0.0.1, udp_port: 0, tcp_port: -1}\n"
                    + "trunks:\n  - name: sim\n    address: sip:127.0.0.1:" + sim.udpAddress().getPort() + "\n    cps: 5\n");
            CliRun run = CliRun.of("run", "--config", config.toString(), "--numbers", numbers.toString(), "--hangup-after", "0",
                    "--cdr", dir.resolve("c.jsonl").toString());
            assertEquals(0, run.exitCode(), run.out() + run.err());
            assertEquals(2, Files.readAllLines(dir.resolve("c.jsonl")).size());

            Files.writeString(config, "trunks:\n  - name: sim\n    address: sip:127.0.0.1:5080\n    cps: 0\n");
            CliRun bad = CliRun.of("run", "--config", config.toString(), "--numbers", numbers.toString());
            assertEquals(2, bad.exitCode());
            assertTrue(bad.err().contains("trunks[0].cps: must be 1..10000, got 0"), bad.err());
        }
    }

    @Test
    void aBadNumberNamesTheLine() throws Exception {
        Path numbers = dir.resolve("bad.txt");
        Files.writeString(numbers, "+15550900001\nnot-a-number\n");
        CliRun run = CliRun.of("run", "--trunk", "sip:127.0.0.1:5999", "--numbers", numbers.toString());
        assertEquals(2, run.exitCode());
        assertTrue(run.err().contains("line 2"), run.err());
    }
}
