package io.trunkline.cli;

import picocli.CommandLine.Option;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Where a running {@code ./trunkline serve} is and the key to talk to it: the options every {@code campaign}
 * subcommand shares. The key is looked for where serve leaves it, so on the serve machine no flag is needed; it is
 * never printed, not even in an error. Serve's home is {@code trunkline.home} (the launcher sets it to the
 * repository's {@code .trunkline}), else {@code .trunkline} in the working directory, the same rule as ServeCommand.
 */
final class ApiOptions {
    /** serve's default listen address (ServeCommand: ServiceConfig.defaults(home, 8080, ...) on 127.0.0.1). */
    static final String DEFAULT_URL = "http://127.0.0.1:8080";

    @Option(names = "--url", paramLabel = "URL", defaultValue = DEFAULT_URL,
            description = "the dialer service (./trunkline serve): http(s)://HOST:PORT or HOST:PORT, default ${DEFAULT-VALUE}")
    String url;

    @Option(names = "--api-key", paramLabel = "KEY",
            description = "API key; default: env TRUNKLINE_API_KEY, else the key file that serve writes (.trunkline/api-key beside ./trunkline). Prefer the env: a flag shows in ps")
    String apiKey;

    /**
     * The base URL without a trailing slash, checked: http or https, with a host. A bare {@code HOST:PORT} (serve's
     * --listen form) means http there.
     */
    URI baseUri() {
        String v = url.trim();
        if (!v.contains("://")) {
            HostPort hp = HostPort.parse("--url", v); // checks the port and that the host resolves
            if (hp.port() == 0) throw badUrl();
            v = "http://" + v;
        }
        URI u;
        try {
            u = URI.create(v);
        } catch (IllegalArgumentException e) {
            throw badUrl();
        }
        if (u.getScheme() == null || !(u.getScheme().equalsIgnoreCase("http") || u.getScheme().equalsIgnoreCase("https"))
                || u.getHost() == null || u.getRawQuery() != null || u.getRawFragment() != null) {
            throw badUrl();
        }
        String s = u.toString();
        while (s.endsWith("/")) s = s.substring(0, s.length() - 1);
        return URI.create(s);
    }

    private IllegalArgumentException badUrl() {
        return new IllegalArgumentException("--url must be http://HOST:PORT, https://HOST[:PORT][/PATH] or HOST:PORT, got '"
                + io.trunkline.sip.message.HeaderSafety.printable(url) + "'");
    }

    String key() {
        return resolveKey(apiKey, System.getenv(), Path.of(System.getProperty("trunkline.home", ".trunkline")));
    }

    /** --api-key, else TRUNKLINE_API_KEY, else {@code home/api-key}; a missing key is a usage error naming all three. */
    static String resolveKey(String flag, Map<String, String> env, Path home) {
        String key = flag;
        String from = "--api-key";
        if (key == null || key.isBlank()) {
            key = env.get("TRUNKLINE_API_KEY");
            from = "TRUNKLINE_API_KEY";
        }
        Path file = home.resolve("api-key");
        if (key == null || key.isBlank()) {
            from = file.toString();
            try {
                key = Files.isReadable(file) ? Files.readString(file, StandardCharsets.UTF_8) : null;
            } catch (IOException e) {
                throw new IllegalArgumentException("the API key file " + file + " cannot be read: " + e.getMessage());
            }
        }
        if (key == null || key.isBlank()) {
            throw new IllegalArgumentException("no API key: give --api-key, set TRUNKLINE_API_KEY, or run in the directory where ./trunkline serve keeps "
                    + file + "");
        }
        key = key.trim();
        // a key with spaces or control characters cannot go in a header; say where it came from, not what it is
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c <= 0x20 || c >= 0x7f) throw new IllegalArgumentException("the API key from " + from + " must be printable ASCII without spaces");
        }
        return key;
    }
}
