package io.trunkline.engine;

import io.trunkline.sip.stir.Attestation;
import io.trunkline.sip.stir.StirIdentityProvider;
import io.trunkline.sip.ua.IdentityProvider;

import java.util.Comparator;
import java.util.List;

/**
 * A trunk's STIR/SHAKEN signing: a default key and certificate, and optional per-caller-ID entries (an operator
 * often holds numbers under more than one certificate, or may attest A only for the numbers it assigned). The most
 * specific caller-ID pattern wins: an exact number before a prefix, a longer prefix before a shorter one.
 */
public final class StirSigning {

    /** Caller IDs in E.164 ({@code +15550100001}) or a prefix ending in {@code *} ({@code +1555*}). */
    public record CallerRule(List<String> callerIds, StirIdentityProvider provider) {
        public CallerRule {
            callerIds = List.copyOf(callerIds);
            for (String c : callerIds) {
                String digits = c.endsWith("*") ? c.substring(0, c.length() - 1) : c;
                if (!digits.matches("\\+[0-9]{1,15}")) {
                    throw new IllegalArgumentException("caller ID must be +DIGITS or a prefix +DIGITS*, got '" + c.replaceAll("[^\\x20-\\x7e]", "?") + "'");
                }
            }
        }

        /** Length of the matching pattern (longer is more specific, exact beats any prefix), or -1. */
        int match(String from) {
            int best = -1;
            for (String c : callerIds) {
                if (c.endsWith("*")) {
                    String p = c.substring(0, c.length() - 1);
                    if (from.startsWith(p)) best = Math.max(best, p.length());
                } else if (c.equals(from)) {
                    return Integer.MAX_VALUE;
                }
            }
            return best;
        }
    }

    private final StirIdentityProvider defaults;
    private final List<CallerRule> rules;

    /** @param defaults the signer for caller IDs no rule names; null to sign only the numbers the rules name */
    public StirSigning(StirIdentityProvider defaults, List<CallerRule> rules) {
        if (defaults == null && rules.isEmpty()) throw new IllegalArgumentException("stir needs a key, or callers with keys");
        this.defaults = defaults;
        this.rules = List.copyOf(rules);
    }

    public static StirSigning of(StirIdentityProvider defaults) {
        return new StirSigning(defaults, List.of());
    }

    /** The signer configured for this caller ID, or null when the trunk holds no certificate for it. */
    public StirIdentityProvider providerFor(String from) {
        return rules.stream()
                .filter(r -> r.match(from) >= 0)
                .max(Comparator.comparingInt(r -> r.match(from)))
                .map(CallerRule::provider)
                .orElse(defaults);
    }

    /**
     * The identity to sign this call with. {@code requested} null means the configured default level.
     *
     * @return null when the call goes unsigned (no certificate for this caller ID and no level asked for)
     * @throws IllegalArgumentException naming {@code attestation} when the level cannot be honoured
     */
    public IdentityProvider identityFor(String from, Attestation requested) {
        StirIdentityProvider p = providerFor(from);
        if (p == null) {
            if (requested == null) return null;
            throw new IllegalArgumentException("attestation: no STIR/SHAKEN certificate is configured for caller ID " + from);
        }
        if (requested == null) return p;
        if (!requested.atMost(p.signer().strongestAllowed())) {
            throw new IllegalArgumentException("attestation must be at most " + p.signer().strongestAllowed()
                    + " for caller ID " + from + ", got " + requested);
        }
        return requested == p.attestation() ? p : new StirIdentityProvider(p.signer(), requested);
    }
}
