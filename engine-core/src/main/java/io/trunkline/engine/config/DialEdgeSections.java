package io.trunkline.engine.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberType;
import io.trunkline.engine.DestinationPolicy;
import io.trunkline.engine.DestinationRules;
import io.trunkline.engine.TrunkHealth;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the dial edge's sections of the configuration: {@code destinations} (and each trunk's), and
 * {@code trunk_health}. Problems go to the shared {@link ConfigReader}'s list with their path, like every section's.
 */
final class DialEdgeSections {
    private static final Set<String> RULE_KEYS = Set.of("allow_prefixes", "deny_prefixes", "allow_types", "deny_types");
    private static final Set<String> GLOBAL_KEYS = Set.of("allow_prefixes", "deny_prefixes", "allow_types", "deny_types", "country_rate");

    private final ConfigReader reader;

    DialEdgeSections(ConfigReader reader) {
        this.reader = reader;
    }

    /** The global policy; an absent list keeps its safe default, a given one replaces it. Null after an error. */
    DestinationPolicy destinations(JsonNode n) {
        if (n.isMissingNode() || n.isNull()) return DestinationPolicy.DEFAULT;
        if (!n.isObject()) {
            reader.errors().add("destinations: must be a mapping of " + String.join(", ", new java.util.TreeSet<>(GLOBAL_KEYS)));
            return null;
        }
        reader.unknownKeys(n, "destinations.", GLOBAL_KEYS);
        int before = reader.errors().size();
        DestinationRules defaults = DestinationPolicy.DEFAULT.global();
        DestinationRules global = rules(n, "destinations", defaults);
        Map<String, DestinationPolicy.RateCap> caps = new LinkedHashMap<>();
        JsonNode rate = n.path("country_rate");
        if (!rate.isMissingNode() && !rate.isObject()) reader.errors().add("destinations.country_rate: must be a mapping of COUNTRY: CALLS/s or CALLS/min");
        for (Iterator<Map.Entry<String, JsonNode>> it = rate.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            try {
                DestinationPolicy.checkCountry(e.getKey());
                caps.put(e.getKey(), DestinationPolicy.RateCap.parse(e.getValue().asText()));
            } catch (IllegalArgumentException ex) {
                reader.errors().add("destinations.country_rate." + e.getKey() + ": " + ex.getMessage());
            }
        }
        if (reader.errors().size() > before || global == null) return null;
        try {
            return new DestinationPolicy(global, caps);
        } catch (IllegalArgumentException e) {
            reader.errors().add("destinations." + e.getMessage());
            return null;
        }
    }

    /** A trunk's own rules (no defaults: the global ones apply under them). Null when absent or wrong. */
    DestinationRules trunkRules(JsonNode n, String path) {
        if (n.isMissingNode() || n.isNull()) return null;
        if (!n.isObject()) {
            reader.errors().add(path + ": must be a mapping of " + String.join(", ", new java.util.TreeSet<>(RULE_KEYS)));
            return null;
        }
        reader.unknownKeys(n, path + ".", RULE_KEYS);
        return rules(n, path, DestinationRules.NONE);
    }

    private DestinationRules rules(JsonNode n, String path, DestinationRules defaults) {
        int before = reader.errors().size();
        List<String> allow = n.has("allow_prefixes") ? prefixes(n.path("allow_prefixes"), path + ".allow_prefixes") : defaults.allowPrefixes();
        List<String> deny = n.has("deny_prefixes") ? prefixes(n.path("deny_prefixes"), path + ".deny_prefixes") : defaults.denyPrefixes();
        Set<PhoneNumberType> allowTypes = n.has("allow_types") ? types(n.path("allow_types"), path + ".allow_types") : defaults.allowTypes();
        Set<PhoneNumberType> denyTypes = n.has("deny_types") ? types(n.path("deny_types"), path + ".deny_types") : defaults.denyTypes();
        if (reader.errors().size() > before) return null;
        try {
            return new DestinationRules(allow, deny, allowTypes, denyTypes, "policy");
        } catch (IllegalArgumentException e) {
            reader.errors().add(path + "." + e.getMessage()); // the message starts with the field it is about
            return null;
        }
    }

    private List<String> prefixes(JsonNode list, String path) {
        return each(list, path, "[\"+1900\", \"+53\"]", DestinationRules::prefix, new ArrayList<>());
    }

    private Set<PhoneNumberType> types(JsonNode list, String path) {
        return each(list, path, "[premium_rate, shared_cost]", DestinationRules::type, EnumSet.noneOf(PhoneNumberType.class));
    }

    /** Reads a list item by item into {@code out}; each bad item is an error naming its index, the rest still read. */
    private <T, C extends java.util.Collection<T>> C each(JsonNode list, String path, String example,
                                                          java.util.function.Function<String, T> read, C out) {
        if (!list.isArray()) {
            reader.errors().add(path + ": must be a list, e.g. " + example);
            return out;
        }
        for (int i = 0; i < list.size(); i++) {
            try {
                out.add(read.apply(list.get(i).asText()));
            } catch (IllegalArgumentException e) {
                reader.errors().add(path + "[" + i + "]: " + e.getMessage());
            }
        }
        return out;
    }

    /** {@code trunk_health}: whole seconds in the file, milliseconds in {@link TrunkHealth}. */
    TrunkHealth trunkHealth(JsonNode n) {
        reader.unknownKeys(n, "trunk_health.", Set.of("failures", "window_s", "probe_interval_s", "retry_interval_s"));
        TrunkHealth d = TrunkHealth.DEFAULT;
        int failures = (int) reader.integer(n, "trunk_health.failures", "failures", d.failures(), 1, 100);
        long window = reader.integer(n, "trunk_health.window_s", "window_s", d.windowMs() / 1000, 1, 3600);
        long probe = reader.integer(n, "trunk_health.probe_interval_s", "probe_interval_s", d.probeIntervalMs() / 1000, 1, 600);
        long retry = reader.integer(n, "trunk_health.retry_interval_s", "retry_interval_s", d.retryIntervalMs() / 1000, 1, 3600);
        return new TrunkHealth(failures, window * 1000, probe * 1000, retry * 1000);
    }
}
