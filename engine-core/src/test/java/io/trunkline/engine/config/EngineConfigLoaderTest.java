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

    /** The dial edge's sections: the example's policy is the safe default, and every mistake names its field. */
    @Test
    void destinationsAndTrunkHealthAreValidatedWithTheirPaths() throws Exception {
        EngineConfig example = EngineConfigLoader.load(Path.of("..", "conf", "trunkline.yaml"), Map.of(),
                java.util.Set.of("server", "store", "webhooks", "campaigns"));
        assertEquals(io.trunkline.engine.DestinationPolicy.DEFAULT, example.destinations(), "the documented values are the defaults");
        assertEquals(io.trunkline.engine.TrunkHealth.DEFAULT, example.trunkHealth());

        Path ok = dir.resolve("edge.yaml");
        Files.writeString(ok, """
                destinations:
                  allow_prefixes: ["+5378*"]
                  deny_types: [premium-rate, unknown]
                  country_rate: {GB: 60/min, "*": 5/s}
                trunk_health: {failures: 5, window_s: 10, probe_interval_s: 1, retry_interval_s: 3}
                trunks:
                  - name: a
                    address: sip:127.0.0.1:5080
                    destinations: {allow_types: [premium_rate]}
                """);
        EngineConfig c = EngineConfigLoader.load(ok, Map.of());
        assertEquals(java.util.List.of("+5378"), c.destinations().global().allowPrefixes());
        assertEquals(io.trunkline.engine.DestinationPolicy.DEFAULT_DENY_PREFIXES, c.destinations().global().denyPrefixes(), "an absent list keeps its default");
        assertEquals("60/min", c.destinations().capFor("GB").toString());
        assertEquals("5/s", c.destinations().capFor("FR").toString());
        assertEquals(new io.trunkline.engine.TrunkHealth(5, 10_000, 1_000, 3_000), c.trunkHealth());
        assertEquals("trunk a policy", c.trunks().get(0).destinations().where());

        Path bad = dir.resolve("bad-edge.yaml");
        Files.writeString(bad, """
                destinations:
                  deny_prefixes: ["53", "+1900"]
                  deny_types: [premium_rate, expensive]
                  country_rate: {GB: lots, XX: 5/s}
                  block: true
                trunk_health: {failures: 0, window_s: 99999}
                trunks:
                  - name: a
                    address: sip:127.0.0.1:5080
                    destinations: {allow_prefixes: ["+44"], deny_prefixes: ["+44"]}
                """);
        ConfigException e = assertThrows(ConfigException.class, () -> EngineConfigLoader.load(bad, Map.of()));
        String all = String.join("\n", e.errors());
        assertTrue(all.contains("destinations.deny_prefixes[0]: must be an E.164 prefix like +1900 or +53, got '53'"), all);
        assertTrue(all.contains("destinations.deny_types[1]: must be one of fixed_line, fixed_line_or_mobile, mobile, pager, personal_number, premium_rate, shared_cost, toll_free, uan, unknown, voicemail, voip, got 'expensive'"), all);
        assertTrue(all.contains("destinations.country_rate.GB: must be CALLS/s or CALLS/min (e.g. 5/s, 100/min), got 'lots'"), all);
        assertTrue(all.contains("destinations.country_rate.XX: not a region code: use ISO 3166 codes like GB, 001 for non-geographic numbers, \"*\" for any other; got 'XX'"), all);
        assertTrue(all.contains("destinations.block: unknown setting (allowed: allow_prefixes, allow_types, country_rate, deny_prefixes, deny_types)"), all);
        assertTrue(all.contains("trunk_health.failures: must be 1..100, got 0"), all);
        assertTrue(all.contains("trunk_health.window_s: must be 1..3600, got 99999"), all);
        assertTrue(all.contains("trunks[0].destinations.allow_prefixes: +44 is also in deny_prefixes; keep one"), all);
        assertEquals(8, e.errors().size(), all);
    }
}
