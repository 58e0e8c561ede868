package io.trunkline.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The README's main job: the demo dials the simulator and every row ends as the simulator's callee decided. */
class DemoTest {
    @TempDir Path home;

    @Test
    void demoShowsPeopleReachingTheAssistantAndMachinesGettingAMessageAfterTheBeep() {
        String before = System.getProperty("trunkline.home");
        System.setProperty("trunkline.home", home.toString());
        try {
            CliRun run = CliRun.of("demo", "--hangup-after", "1");
            assertEquals(0, run.exitCode(), run.out() + run.err());
            String out = run.out();
            assertTrue(out.matches("(?s).*\\+15550100000\\s+human\\s+completed\\s+200\\s+human.*"), out);
            assertTrue(out.matches("(?s).*\\+15550100001\\s+machine\\s+voicemail\\s+200\\s+machine\\s+\\d+\\.\\ds.*message left after the beep.*"), out);
            assertTrue(out.matches("(?s).*\\+15550100007\\s+machine\\s+voicemail\\s+200\\s+machine\\s+\\d+\\.\\ds.*"), out);
            assertTrue(out.matches("(?s).*\\+15550100002\\s+-\\s+busy\\s+486.*"), out);
            assertTrue(out.contains("identity-ok=8"), "every INVITE was signed and verified: " + out);
        } finally {
            if (before == null) System.clearProperty("trunkline.home");
            else System.setProperty("trunkline.home", before);
        }
    }
}
