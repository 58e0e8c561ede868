package io.trunkline.engine;

import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberType;
import io.trunkline.sip.message.HeaderSafety;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * One level (global, or one trunk's) of the destination policy: allow and deny lists of E.164 prefixes and of
 * libphonenumber number types. How the levels combine is {@link DestinationPolicy}'s business.
 *
 * @param allowPrefixes exceptions to the deny rules: {@code +5378}, or {@code +5378*} as caller IDs are written
 * @param denyPrefixes  destinations refused by number range
 * @param allowTypes    types re-allowed at this level (a trunk may carry what the global level denies)
 * @param denyTypes     types refused, e.g. premium rate
 * @param where         how a refusal names this level: {@code policy} or {@code trunk NAME policy}
 */
public record DestinationRules(List<String> allowPrefixes, List<String> denyPrefixes, Set<PhoneNumberType> allowTypes,
                               Set<PhoneNumberType> denyTypes, String where) {
    public static final DestinationRules NONE = new DestinationRules(List.of(), List.of(), Set.of(), Set.of(), "policy");

    public DestinationRules {
        allowPrefixes = prefixes("allow_prefixes", allowPrefixes);
        denyPrefixes = prefixes("deny_prefixes", denyPrefixes);
        allowTypes = allowTypes.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(allowTypes));
        denyTypes = denyTypes.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(denyTypes));
        for (String p : allowPrefixes) {
            if (denyPrefixes.contains(p)) throw new IllegalArgumentException("allow_prefixes: " + p + " is also in deny_prefixes; keep one");
        }
        for (PhoneNumberType t : allowTypes) {
            if (denyTypes.contains(t)) throw new IllegalArgumentException("allow_types: " + typeName(t) + " is also in deny_types; keep one");
        }
    }

    /** This level's rules renamed for refusals on a trunk's calls. */
    public DestinationRules forTrunk(String trunk) {
        return new DestinationRules(allowPrefixes, denyPrefixes, allowTypes, denyTypes, "trunk " + trunk + " policy");
    }

    /** The config spelling of a type: {@code premium_rate}. */
    public static String typeName(PhoneNumberType t) { return t.name().toLowerCase(Locale.ROOT); }

    /** A type by its config name ({@code premium_rate} or {@code premium-rate}); the error lists the names allowed. */
    public static PhoneNumberType type(String name) {
        String n = name == null ? "" : name.trim().toUpperCase(Locale.ROOT).replace('-', '_');
        for (PhoneNumberType t : PhoneNumberType.values()) if (t.name().equals(n)) return t;
        Set<String> names = new TreeSet<>();
        for (PhoneNumberType t : PhoneNumberType.values()) names.add(typeName(t));
        throw new IllegalArgumentException("must be one of " + String.join(", ", names) + ", got '" + HeaderSafety.printable(String.valueOf(name)) + "'");
    }

    /** A prefix normalised to {@code +DIGITS} (a trailing {@code *} is accepted and dropped: every entry is a prefix). */
    public static String prefix(String p) {
        String digits = p != null && p.endsWith("*") ? p.substring(0, p.length() - 1) : p;
        if (digits == null || !digits.matches("\\+[0-9]{1,15}")) {
            throw new IllegalArgumentException("must be an E.164 prefix like +1900 or +53, got '" + HeaderSafety.printable(String.valueOf(p)) + "'");
        }
        return digits;
    }

    private static List<String> prefixes(String field, List<String> in) {
        List<String> out = new ArrayList<>(in.size());
        for (int i = 0; i < in.size(); i++) {
            String digits;
            try {
                digits = prefix(in.get(i));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(field + "[" + i + "]: " + e.getMessage());
            }
            if (!out.contains(digits)) out.add(digits);
        }
        return List.copyOf(out);
    }
}
