package io.trunkline.service.campaign;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** libphonenumber's own metadata decides: numbers, countries and timezones we did not write down ourselves. */
class PhoneNumbersTest {
    @Test
    void nationalNumbersAreNormalisedAndPlacedInTheirZone() {
        PhoneNumbers.Parsed p = PhoneNumbers.parse("(212) 555-0123", "US");
        assertEquals("+12125550123", p.e164());
        assertEquals(List.of("America/New_York"), p.zones());
        assertEquals(List.of("Europe/London"), PhoneNumbers.parse("+44 20 7946 0958", "US").zones());
    }

    @Test
    void aNumberOfAManyZonedCountryThatCannotBePlacedGetsEveryZone() {
        PhoneNumbers.Parsed tollFree = PhoneNumbers.parse("+1 800 555 0199", "US");
        assertTrue(tollFree.ok());
        assertTrue(tollFree.zones().size() > 3, tollFree.zones().toString());
    }

    @Test
    void badNumbersSayWhy() {
        assertEquals("unknown country code", PhoneNumbers.parse("+999 1234 5678", "US").error());
        assertEquals("not a phone number", PhoneNumbers.parse("call me", "US").error());
        assertFalse(PhoneNumbers.parse("12", "US").ok());
        assertEquals("is empty", PhoneNumbers.parse(" ", "US").error());
    }
}
