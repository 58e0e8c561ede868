package io.trunkline.sip.torture;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every RFC 4475 message over a real UDP socket to a running user agent. The messages name other hosts
 * (192.0.2.x, example.com) in Via and Contact, so the exchange runs in a new network namespace that has only
 * loopback (`unshare --net`): even a wrong reply could not leave the machine.
 */
class TortureNetworkTest {
    @Test
    void everyMessageIsAnsweredOrDroppedAsTheManifestSays() throws Exception {
        boolean netns = canUnshare();
        // CI runs as root: there a missing namespace is a failure, not a quiet skip of the network torture run
        if (!netns && "true".equals(System.getenv("CI"))) throw new AssertionError("CI must be able to run `unshare --net`");
        Assumptions.assumeTrue(netns, "needs root for `unshare --net` (CI runs as root)");
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = List.of("unshare", "--net", "sh", "-c",
                "ip link set lo up && exec \"$0\" --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow "
                        + "-cp \"$1\" io.trunkline.sip.torture.TortureNetworkHarness",
                java, System.getProperty("java.class.path"));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "harness finished");
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), out);
        Map<String, String> got = new HashMap<>();
        String alive = null;
        for (String line : out.split("\n")) {
            if (line.startsWith("RESULT ")) {
                String[] f = line.split(" ");
                got.put(f[1], f[2]);
            } else if (line.startsWith("ALIVE ")) {
                alive = line;
            }
        }
        List<String> wrong = new ArrayList<>();
        for (TortureManifest m : TortureManifest.all()) {
            String status = got.get(m.file());
            boolean ok;
            if (m.drop()) ok = "none".equals(status);
            else if (m.valid()) ok = m.file().equals("unreason.dat") || m.file().equals("noreason.dat")
                    ? "none".equals(status) // stray responses: no transaction, nothing to say
                    : status != null && !status.equals("none") && !status.equals("400");
            else ok = String.valueOf(m.status()).equals(status);
            if (!ok) wrong.add(m + " -> " + status);
        }
        assertTrue(wrong.isEmpty(), "handled against the manifest: " + wrong + "\n" + out);
        assertEquals("ALIVE 200 0 0", alive, "the UA still answers and holds no call or dialog");
        assertNotEquals(0, got.size());
    }

    private static boolean canUnshare() throws IOException, InterruptedException {
        try {
            Process p = new ProcessBuilder("unshare", "--net", "true").redirectErrorStream(true).start();
            return p.waitFor(5, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        }
    }
}
