package io.trunkline.service.campaign;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberToTimeZonesMapper;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;

import java.util.List;

/**
 * A recipient's number as libphonenumber reads it: E.164, and the timezones its prefix is in (the timezone mapper;
 * a number it cannot place, such as a mobile or toll-free number in a country of many zones, gets every zone of
 * its country, so the most restrictive window applies; one it cannot place at all gets none, and needs a
 * {@code timezone} column).
 */
public final class PhoneNumbers {
    private static final PhoneNumberUtil UTIL = PhoneNumberUtil.getInstance();
    private static final PhoneNumberToTimeZonesMapper ZONES = PhoneNumberToTimeZonesMapper.getInstance();

    private PhoneNumbers() {}

    /** A number read, or why it could not be. */
    public record Parsed(String e164, List<String> zones, String error) {
        public boolean ok() { return error == null; }
    }

    public static Parsed parse(String raw, String defaultRegion) {
        if (raw == null || raw.isBlank()) return new Parsed(null, null, "is empty");
        PhoneNumber n;
        try {
            n = UTIL.parse(raw.strip(), defaultRegion);
        } catch (NumberParseException e) {
            return new Parsed(null, null, switch (e.getErrorType()) {
                case INVALID_COUNTRY_CODE -> "unknown country code";
                case TOO_SHORT_NSN, TOO_SHORT_AFTER_IDD -> "too short to be a phone number";
                case TOO_LONG -> "too long to be a phone number";
                default -> "not a phone number";
            });
        }
        switch (UTIL.isPossibleNumberWithReason(n)) {
            case TOO_SHORT -> { return new Parsed(null, null, "too short to be a phone number"); }
            case TOO_LONG -> { return new Parsed(null, null, "too long to be a phone number"); }
            case INVALID_COUNTRY_CODE -> { return new Parsed(null, null, "unknown country code"); }
            default -> { }
        }
        String region = UTIL.getRegionCodeForNumber(n);
        if (region == null || region.equals("ZZ") && !UTIL.isValidNumber(n)) return new Parsed(null, null, "unknown country for +" + n.getCountryCode());
        if (!UTIL.isValidNumber(n)) return new Parsed(null, null, "not a valid number for " + region);
        List<String> zones = ZONES.getTimeZonesForNumber(n);
        if (zones.contains(PhoneNumberToTimeZonesMapper.getUnknownTimeZone())) zones = List.of(); // the caller needs a timezone column
        return new Parsed(UTIL.format(n, PhoneNumberUtil.PhoneNumberFormat.E164), zones, null);
    }
}
