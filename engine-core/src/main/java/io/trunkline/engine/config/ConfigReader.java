package io.trunkline.engine.config;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The checks every section loader of the configuration file shares: secrets from the file, the environment or
 * another file (never echoed), integers with their range, and unknown keys; each problem is collected as
 * {@code path: what is wrong}, so one run reports them all.
 */
public final class ConfigReader {
    private final Map<String, String> env;
    private final Path base;
    private final List<String> errors = new ArrayList<>();

    /** @param base the folder relative file names are resolved against (the configuration file's) */
    public ConfigReader(Map<String, String> env, Path base) {
        this.env = env;
        this.base = base;
    }

    /** The problems found so far (a live list: loaders add their own). */
    public List<String> errors() { return errors; }

    public Path base() { return base; }

    /** A secret given inline, or by the name of an environment variable ({@code NAME_env}), or by a file ({@code NAME_file}). */
    public String secret(JsonNode n, String path, String name) {
        if (n.has(name)) return n.path(name).asText();
        if (n.has(name + "_env")) {
            String var = n.path(name + "_env").asText();
            String v = env.get(var);
            if (v == null) errors.add(path + "." + name + "_env: environment variable " + var + " is not set");
            return v;
        }
        if (n.has(name + "_file")) {
            Path f = base.resolve(n.path(name + "_file").asText());
            try {
                return Files.readAllLines(f, StandardCharsets.UTF_8).stream().findFirst().orElse("").trim();
            } catch (IOException e) {
                errors.add(path + "." + name + "_file: cannot read " + f);
            }
        }
        return null;
    }

    /** A whole number in [min, max] (clamped into it after reporting), or {@code def} when absent. */
    public long integer(JsonNode parent, String path, String key, long def, long min, long max) {
        JsonNode v = parent.path(key);
        if (v.isMissingNode() || v.isNull()) return def;
        if (!v.isIntegralNumber()) {
            errors.add(path + ": must be a whole number " + min + ".." + max + ", got '" + v.asText() + "'");
            return def;
        }
        long x = v.asLong();
        if (x < min || x > max) errors.add(path + ": must be " + min + ".." + max + ", got " + x);
        return Math.max(min, Math.min(max, x));
    }

    public void unknownKeys(JsonNode n, String prefix, Set<String> allowed) {
        if (!n.isObject()) return;
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!allowed.contains(k)) errors.add(prefix + k + ": unknown setting (allowed: " + String.join(", ", new java.util.TreeSet<>(allowed)) + ")");
        }
    }
}
