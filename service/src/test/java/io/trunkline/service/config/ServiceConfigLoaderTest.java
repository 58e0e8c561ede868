package io.trunkline.service.config;

import io.trunkline.engine.config.ConfigException;
import io.trunkline.engine.config.EngineConfigLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ServiceConfigLoaderTest {
    @TempDir
    Path dir;

    /** The shipped example loads as it is, for the engine and for the service. */
    @Test
    void exampleConfigurationLoads() throws Exception {
        Path example = Path.of("..", "conf", "trunkline.yaml");
        Map<String, String> env = Map.of("TRUNKLINE_API_KEY", "an-api-key-of-some-length", "TRUNKLINE_WEBHOOK_SECRET", "a-webhook-secret-long-enough");
        EngineConfigLoader.load(example, env, ServiceConfigLoader.SECTIONS);
        ServiceConfig c = ServiceConfigLoader.load(example, env, dir);
        assertEquals(8080, c.listen().getPort());
        assertEquals("main", c.apiKeys().get(0).id());
        assertTrue(c.apiKeys().get(0).matches("an-api-key-of-some-length"));
        assertFalse(c.apiKeys().get(0).matches("an-api-key-of-some-lengtH"));
        assertEquals(16, c.webhooks().workers());
        assertFalse(c.store().isPostgres());
        assertEquals(Path.of("..", "conf").toAbsolutePath().resolve("trunkline.db"), c.store().sqlite());
        assertEquals(java.time.LocalTime.of(8, 0), c.campaigns().callingHours().start());
        assertEquals(java.time.LocalTime.of(21, 0), c.campaigns().callingHours().end());
    }

    @Test
    void everyErrorIsReportedWithItsPathAndNoSecretIsEchoed() throws Exception {
        Path f = dir.resolve("bad.yaml");
        Files.writeString(f, """
                server:
                  listen: nowhere
                  api_keys:
                    - {id: "bad id", key: short, webhook_secret_env: NOPE}
                  max_body_bytes: 10
                  turbo: yes
                store:
                  postgres: {url: "jdbc:postgresql://db/x?password=hunter22", user: u}
                webhooks: {workers: 0, timeout_ms: 50}
                campaigns: {calling_hours: "21:00-08:00", dnc_file: missing.txt, node_id: "a b"}
                """);
        ConfigException e = assertThrows(ConfigException.class, () -> ServiceConfigLoader.load(f, Map.of(), dir));
        List<String> errors = e.errors();
        assertTrue(errors.contains("server.listen: must be HOST:PORT with a port 0..65535, got 'nowhere'"), errors.toString());
        assertTrue(errors.contains("server.api_keys[0].id: must be 1..64 letters, digits, _ or -"), errors.toString());
        assertTrue(errors.contains("server.api_keys[0].webhook_secret_env: environment variable NOPE is not set"), errors.toString());
        assertTrue(errors.contains("server.max_body_bytes: must be 1024..67108864, got 10"), errors.toString());
        assertTrue(errors.stream().anyMatch(x -> x.startsWith("server.turbo: unknown setting")), errors.toString());
        assertTrue(errors.contains("store.postgres.url: must not carry the password; use store.postgres.password_env or password_file"), errors.toString());
        assertTrue(errors.contains("webhooks.workers: must be 1..256, got 0"), errors.toString());
        assertTrue(errors.contains("webhooks.timeout_ms: must be 100..120000, got 50"), errors.toString());
        assertTrue(errors.contains("campaigns.calling_hours: end must be after start (21:00 to 08:00)"), errors.toString());
        assertTrue(errors.stream().anyMatch(x -> x.startsWith("campaigns.dnc_file: cannot read ")), errors.toString());
        assertTrue(errors.contains("campaigns.node_id: must be 1..64 letters, digits, '.', '_' or '-', got 'a b'"), errors.toString());
        assertFalse(e.getMessage().contains("hunter22"), "no secret in the message");
        assertFalse(e.getMessage().contains("short"), "no key in the message");
    }
}
