package io.trunkline.service.campaign;

import org.junit.jupiter.api.Test;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.EnumSet;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CallingWindowTest {
    private static final ZoneId NY = ZoneId.of("America/New_York");
    private static final ZoneId LA = ZoneId.of("America/Los_Angeles");
    private static final CallingWindow WEEKDAYS = new CallingWindow(EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY), LocalTime.of(9, 0), LocalTime.of(20, 0));

    @Test
    void fridayEveningWaitsForMondayMorningInTheRecipientsZone() {
        Instant fri2030 = Instant.parse("2026-12-05T01:30:00Z"); // Fri 20:30 in New York
        assertFalse(WEEKDAYS.isOpen(fri2030, List.of(NY)));
        assertEquals(Instant.parse("2026-12-07T14:00:00Z"), WEEKDAYS.nextOpen(fri2030, List.of(NY))); // Mon 09:00 EST
        // the same instant is 17:30 on Friday in Los Angeles: open there
        assertTrue(WEEKDAYS.isOpen(fri2030, List.of(LA)));
        assertEquals(Instant.parse("2026-12-05T04:00:00Z"), WEEKDAYS.closesAt(fri2030, List.of(LA)));
    }

    @Test
    void aNumberInSeveralZonesIsCalledOnlyWhenTheWindowIsOpenInAll() {
        Instant mon0930ny = Instant.parse("2026-12-07T14:30:00Z"); // 06:30 in Los Angeles
        List<ZoneId> both = List.of(NY, LA);
        assertFalse(WEEKDAYS.isOpen(mon0930ny, both));
        Instant next = WEEKDAYS.nextOpen(mon0930ny, both);
        assertEquals(Instant.parse("2026-12-07T17:00:00Z"), next); // 09:00 in LA, 12:00 in NY
        assertTrue(WEEKDAYS.isOpen(next, both));
        assertEquals(Instant.parse("2026-12-08T01:00:00Z"), WEEKDAYS.closesAt(next, both)); // 20:00 in New York comes first
    }

    @Test
    void windowsFollowDaylightSaving() {
        CallingWindow every = CallingWindow.hours("08:00-21:00");
        // 2026-03-08: New York springs forward; 08:00 EDT is 12:00Z (it was 13:00Z the day before)
        assertEquals(Instant.parse("2026-03-07T13:00:00Z"), every.nextOpen(Instant.parse("2026-03-07T05:00:00Z"), List.of(NY)));
        assertEquals(Instant.parse("2026-03-08T12:00:00Z"), every.nextOpen(Instant.parse("2026-03-08T05:00:00Z"), List.of(NY)));
    }

    @Test
    void zonesWhoseWindowsNeverMeetHaveNoOpening() {
        CallingWindow narrow = new CallingWindow(CallingWindow.EVERY_DAY, LocalTime.of(9, 0), LocalTime.of(10, 0));
        assertNull(narrow.nextOpen(Instant.parse("2026-12-07T00:00:00Z"), List.of(NY, ZoneId.of("Asia/Tokyo"))));
    }

    @Test
    void aWindowIsNarrowedToTheCallingHours() {
        CallingWindow wide = new CallingWindow(CallingWindow.EVERY_DAY, LocalTime.of(7, 0), LocalTime.of(22, 0));
        CallingWindow legal = wide.within(CallingWindow.hours("08:00-21:00"));
        assertEquals(LocalTime.of(8, 0), legal.start());
        assertEquals(LocalTime.of(21, 0), legal.end());
        assertNull(new CallingWindow(CallingWindow.EVERY_DAY, LocalTime.of(5, 0), LocalTime.of(7, 0)).within(CallingWindow.hours("08:00-21:00")));
    }

    @Test
    void badTimesAreRefusedWithTheirForm() {
        assertEquals("must be a time 00:00..24:00, got '25:00'", assertThrows(IllegalArgumentException.class, () -> CallingWindow.time("25:00")).getMessage());
        assertEquals("must be a time HH:MM, got '9am'", assertThrows(IllegalArgumentException.class, () -> CallingWindow.time("9am")).getMessage());
        assertThrows(IllegalArgumentException.class, () -> CallingWindow.hours("21:00-08:00"));
        assertThrows(IllegalArgumentException.class, () -> CallingWindow.day("monday"));
    }
}
