package io.trunkline.engine;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberType;
import com.google.i18n.phonenumbers.Phonenumber;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The dial edge's guard against toll fraud: which destinations may be called at all, and how fast per destination
 * country. A stolen dialer credential is classically spent on international revenue-share fraud (calls to numbers
 * whose operator shares the termination fee with the fraudster), so the default refuses the ranges most abused for
 * it and allows the rest.
 * <p>
 * How a number is judged, for a call on a given trunk (the first rule that decides wins):
 * <ol>
 * <li>prefixes: the longest prefix that matches, among the trunk's and the global allow and deny lists (at equal
 *     length the trunk's); a deny refuses, an allow lets the number through without looking at its type;</li>
 * <li>types (libphonenumber's classification): the trunk's allow and deny types, then the global ones;</li>
 * <li>otherwise allowed.</li>
 * </ol>
 * A {@code sip:} destination is judged by every number its user part may be read as (see {@link #destinations}), and
 * allowed when that is no number at all (it names no PSTN range).
 *
 * @param global      the global rules
 * @param countryCaps calls admitted per destination country (ISO region, {@code 001} for the non-geographic
 *                    codes, {@code *} for any country not listed); empty = no caps
 */
public record DestinationPolicy(DestinationRules global, Map<String, RateCap> countryCaps) {
    /**
     * The default deny list, each entry for a reason:
     * <ul>
     * <li>{@code +881}: the Global Mobile Satellite System (Iridium, Globalstar, Thuraya...): terminating rates of
     *     dollars a minute, and a fixture of revenue-share fraud;</li>
     * <li>{@code +882}, {@code +883}: "International Networks", codes assigned to carriers rather than countries,
     *     with unregulated termination rates: the ranges IRSF number resellers sell most;</li>
     * <li>{@code +870}: Inmarsat satellite, several dollars a minute;</li>
     * <li>{@code +979}: the ITU's International Premium Rate Service, premium rate by definition;</li>
     * <li>{@code +53}: Cuba, among the highest international termination rates and always near the top of the
     *     industry's IRSF destination lists.</li>
     * </ul>
     */
    public static final List<String> DEFAULT_DENY_PREFIXES = List.of("+881", "+882", "+883", "+870", "+979", "+53");
    /**
     * Premium rate (callee pays the caller's operator a share: the fraud's whole business model) and shared cost
     * (UK 084x/087x, FR 081x: part of the charge goes to the callee), which a voice agent has no business calling
     * unless an operator says so. Personal numbers (UK 070) are also abused; add {@code personal_number} if your
     * traffic never needs them.
     */
    public static final Set<PhoneNumberType> DEFAULT_DENY_TYPES = Set.of(PhoneNumberType.PREMIUM_RATE, PhoneNumberType.SHARED_COST);
    public static final DestinationPolicy DEFAULT = new DestinationPolicy(
            new DestinationRules(List.of(), DEFAULT_DENY_PREFIXES, Set.of(), DEFAULT_DENY_TYPES, "policy"), Map.of());
    /** Everything allowed: for tests and labs that call made-up numbers on purpose. */
    public static final DestinationPolicy ALLOW_ALL = new DestinationPolicy(DestinationRules.NONE, Map.of());

    private static final PhoneNumberUtil PHONES = PhoneNumberUtil.getInstance();

    public DestinationPolicy {
        if (global == null) global = DEFAULT.global();
        countryCaps = Map.copyOf(countryCaps);
        for (String k : countryCaps.keySet()) checkCountry(k);
    }

    /** A key of {@code country_rate}: an ISO region code libphonenumber knows, {@code 001} or {@code *}. */
    public static void checkCountry(String k) {
        if (!k.equals("*") && !k.equals("001") && !PHONES.getSupportedRegions().contains(k)) {
            throw new IllegalArgumentException("not a region code: use ISO 3166 codes like GB, 001 for non-geographic numbers, \"*\" for any other; got '"
                    + io.trunkline.sip.message.HeaderSafety.printable(k) + "'");
        }
    }

    /** A destination number, parsed once per call: its E.164 form, libphonenumber type and country. */
    public record Destination(String e164, PhoneNumberType type, String country) {}

    /**
     * The numbers a callee may reach: one for an E.164 callee. A {@code sip:} URI's user part is the carrier's to
     * interpret, so every plausible reading is returned: visual separators and {@code %2B} undone, and digits
     * without a '+' read both as E.164 and, after an international access prefix (00, or NANP's 011), as the
     * international number a carrier's dial plan would route them to. The policy refuses the callee when it refuses
     * any reading, so a URI is no way around it. A URI whose user is not a number gives no readings.
     */
    public static List<Destination> destinations(String to) {
        if (!to.regionMatches(true, 0, "sip", 0, 3)) return List.of(parse(to));
        int colon = to.indexOf(':'), at = to.indexOf('@');
        String user = colon < 0 || at < colon ? "" : to.substring(colon + 1, at);
        int semi = user.indexOf(';'); // user parameters (;phone-context=...) are not digits
        if (semi >= 0) user = user.substring(0, semi);
        user = user.replace("%2B", "+").replace("%2b", "+").replaceAll("[-.()]", ""); // RFC 3966 visual separators
        if (!user.matches("\\+?[0-9]{3,20}")) return List.of();
        if (user.startsWith("+")) return List.of(parse(user));
        List<Destination> readings = new java.util.ArrayList<>(2);
        readings.add(parse("+" + user));
        if (user.startsWith("00")) readings.add(parse("+" + user.substring(2)));
        else if (user.startsWith("011")) readings.add(parse("+" + user.substring(3)));
        return readings;
    }

    private static Destination parse(String e164) {
        try {
            Phonenumber.PhoneNumber n = PHONES.parse(e164, "ZZ");
            String region = PHONES.getRegionCodeForNumber(n);
            // a number libphonenumber cannot place (a fictional +1555 one) still counts against its calling code's country
            if (region == null) region = PHONES.getRegionCodeForCountryCode(n.getCountryCode());
            return new Destination(e164, PHONES.getNumberType(n), region);
        } catch (NumberParseException e) {
            return new Destination(e164, PhoneNumberType.UNKNOWN, "ZZ");
        }
    }

    /** Why this destination may not be called on a trunk with these rules, or null when it may. */
    public String refusal(Destination d, DestinationRules trunk) {
        DestinationRules t = trunk == null ? DestinationRules.NONE : trunk;
        // 1. prefixes, longest first; at equal length the trunk's rule wins
        String best = null, bestWhere = null;
        boolean bestDeny = false;
        for (DestinationRules level : List.of(t, global)) {
            for (int deny = 0; deny < 2; deny++) {
                for (String p : deny == 1 ? level.denyPrefixes() : level.allowPrefixes()) {
                    if (d.e164().startsWith(p) && (best == null || p.length() > best.length())) {
                        best = p;
                        bestDeny = deny == 1;
                        bestWhere = level.where();
                    }
                }
            }
        }
        if (best != null) return bestDeny ? "destination refused: " + best + " (" + bestWhere + " deny_prefixes)" : null;
        // 2. types, the trunk's before the global ones
        for (DestinationRules level : List.of(t, global)) {
            if (level.allowTypes().contains(d.type())) return null;
            if (level.denyTypes().contains(d.type())) {
                return "destination refused: " + DestinationRules.typeName(d.type()).replace('_', '-') + " (" + level.where() + " deny_types)";
            }
        }
        return null;
    }

    /** The cap that applies to a country: its own, else {@code *}'s, else null (none). */
    public RateCap capFor(String country) {
        RateCap c = countryCaps.get(country);
        return c != null ? c : countryCaps.get("*");
    }

    /**
     * A rate: {@code calls} per {@code perSeconds} (1 or 60). Written {@code 5/s} or {@code 100/min} in the
     * configuration; 0 calls refuses the country outright.
     */
    public record RateCap(int calls, int perSeconds) {
        public RateCap {
            if (calls < 0 || calls > 1_000_000) throw new IllegalArgumentException("calls must be 0..1000000, got " + calls);
            if (perSeconds != 1 && perSeconds != 60) throw new IllegalArgumentException("the period must be /s or /min");
        }

        /** Parses {@code N/s} or {@code N/min}; the error says the form expected. */
        public static RateCap parse(String s) {
            String v = s == null ? "" : s.trim().toLowerCase(Locale.ROOT);
            int slash = v.indexOf('/');
            String unit = slash < 0 ? "" : v.substring(slash + 1).trim();
            if (slash < 0 || !v.substring(0, slash).trim().matches("[0-9]{1,7}") || !(unit.equals("s") || unit.equals("min"))) {
                throw new IllegalArgumentException("must be CALLS/s or CALLS/min (e.g. 5/s, 100/min), got '"
                        + io.trunkline.sip.message.HeaderSafety.printable(String.valueOf(s)) + "'");
            }
            return new RateCap(Integer.parseInt(v.substring(0, slash).trim()), unit.equals("s") ? 1 : 60);
        }

        @Override
        public String toString() { return calls + (perSeconds == 1 ? "/s" : "/min"); }
    }
}
