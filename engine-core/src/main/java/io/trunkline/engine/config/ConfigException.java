package io.trunkline.engine.config;

import java.util.List;

/** Every problem found in a configuration file, each as "path: what is wrong", so one run shows them all. */
public final class ConfigException extends Exception {
    private final List<String> errors;

    public ConfigException(String file, List<String> errors) {
        super(file + " has " + errors.size() + " error" + (errors.size() == 1 ? "" : "s") + ":\n  " + String.join("\n  ", errors));
        this.errors = List.copyOf(errors);
    }

    public List<String> errors() { return errors; }
}
