package io.trunkline.engine.config;

import io.trunkline.engine.EngineConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EngineConfigLoaderTest {
    @TempDir
    Path dir;

    /** The shipped example must load as it is. */
    @Test
    void exampleConfigurationLoads() throws Exception {
        Path example = Path.of("..", "conf", "trunkline.yaml");
        // the example also holds the dialer service's sections, which the engine leaves to their owner
        EngineConfig c = EngineConfigLoader.load(example, Map.of(), java.util.Set.of("server", "store", "webhooks", "campaigns"));
        assertEquals(2, c.trunks().size());
        assertEquals("primary", c.trunks().get(0).name());
        assertEquals(10, c.trunks().get(0).cps());
        assertEquals(10_000, c.queueCapacity());
    }

    @Test
    void everyErrorIsReportedWithItsPathAndRange() throws Exception {
        Path f = dir.resolve("bad.yaml");
        Files.writeString(f, """
                listen: {address: 127.0.0.1, udp_port: 70000}
                limits: {queue: 0, turbo: true}
                amd: {initial_silence: 100}
                trunks:
                  - name: a
                    address: sip:127.0.0.1:5080
                    cps: 10
                  - name: b
                    address: 127.0.0.1
                    cps: 0
                    username: bob
                    password_env: NOT_SET_ANYWHERE
                """);
        ConfigException e = assertThrows(ConfigException.class, () -> EngineConfigLoader.load(f, Map.of()));
        String all = String.join("\n", e.errors());
        assertTrue(all.contains("listen.udp_port: must be -1..65535, got 70000"), all);
        assertTrue(all.contains("limits.queue: must be 1..10000000, got 0"), all);
        assertTrue(all.contains("limits.turbo: unknown setting"), all);
        assertTrue(all.contains("amd.initial_silence: initial_silence must be 2000..10000"), all);
        assertTrue(all.contains("trunks[1].cps: must be 1..10000, got 0"), all);
        assertTrue(all.contains("trunks[1].address: trunk must look like sip:HOST:PORT"), all);
        assertTrue(all.contains("trunks[1].password_env: environment variable NOT_SET_ANYWHERE is not set"), all);
        assertEquals(7, e.errors().size(), all);
    }

    @Test
    void secretsComeFromEnvironmentOrFilesAndStirKeysAreCheckedAtLoad() throws Exception {
        Files.writeString(dir.resolve("pw.txt"), "s3cret-from-file\n");
        Process p = new ProcessBuilder("openssl", "ecparam", "-name", "secp384r1", "-genkey", "-noout", "-out", dir.resolve("p384.pem").toString())
                .redirectErrorStream(true).start();
        assertEquals(0, p.waitFor());
        Path f = dir.resolve("ok.yaml");
        Files.writeString(f, """
                trunks:
                  - name: env
                    address: sip:127.0.0.1:5080
                    username: alice
                    password_env: TRUNK_PW
                  - name: file
                    address: sip:127.0.0.1:5082;transport=tcp
                    username: bob
                    password_file: pw.txt
                """);
        EngineConfig c = EngineConfigLoader.load(f, Map.of("TRUNK_PW", "s3cret-from-env"));
        assertNotNull(c.trunks().get(0).auth());
        assertFalse(c.trunks().toString().contains("s3cret"), "secrets stay out of toString");

        Path stir = dir.resolve("stir.yaml");
        Files.writeString(stir, """
                trunks:
                  - name: signed
                    address: sip:127.0.0.1:5080
                    stir: {key: p384.pem, x5u: "https://certs.example/sp.pem", attest: A}
                """);
        ConfigException e = assertThrows(ConfigException.class, () -> EngineConfigLoader.load(stir, Map.of()));
        assertTrue(e.getMessage().contains("trunks[0].stir: STIR/SHAKEN key") && e.getMessage().contains("P-256"), e.getMessage());

        Path callers = dir.resolve("callers.yaml");
        Files.writeString(callers, """
                trunks:
                  - name: signed
                    address: sip:127.0.0.1:5080
                    stir:
                      callers:
                        - numbers: ["15550100001"]
                          x5u: "https://certs.example/sp.pem"
                """);
        e = assertThrows(ConfigException.class, () -> EngineConfigLoader.load(callers, Map.of()));
        assertTrue(e.getMessage().contains("trunks[0].stir.callers[0].key: is required"), e.getMessage());
    }
}
