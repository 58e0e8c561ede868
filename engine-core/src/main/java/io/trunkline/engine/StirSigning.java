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

    /** The numbers under one certificate (see {@link CallerIds} for the pattern forms). */
    public record CallerRule(CallerIds callerIds, StirIdentityProvider provider) {
        public CallerRule(List<String> callerIds, StirIdentityProvider provider) {
            this(new CallerIds(callerIds), provider);
        }

        int match(String from) { return callerIds.match(from); }
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

    /** Whether this caller ID can be signed at {@code requested} (null: the default level); never throws. */
    public boolean allows(String from, Attestation requested) {
        StirIdentityProvider p = providerFor(from);
        return p != null && (requested == null || requested.atMost(p.signer().strongestAllowed()));
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
