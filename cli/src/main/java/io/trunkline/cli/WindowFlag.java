package io.trunkline.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.trunkline.sip.message.HeaderSafety;

import java.time.DayOfWeek;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The {@code --window} flag, {@code "mon-fri 09:00-20:00"}, as the API's
 * {@code {"days":[...],"start":"HH:MM","end":"HH:MM"}}. Parsed on the command line so that a typo names the flag and
 * the form before anything is sent; whether the hours lie inside the server's calling hours is the server's call.
 */
record WindowFlag(Set<DayOfWeek> days, LocalTime start, LocalTime end) {
    static final String FORM = "DAYS HH:MM-HH:MM, DAYS being a day, a range or a list of mon..sun (mon-fri, sat,sun, fri-mon) or daily,"
            + " e.g. \"mon-fri 09:00-20:00\"";
    private static final String[] NAMES = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
    private static final DateTimeFormatter HH_MM = DateTimeFormatter.ofPattern("HH:mm");

    static WindowFlag parse(String flag, String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        String[] parts = v.split("\\s+");
        // the hours alone mean every day, as the API's default does
        String dayPart = parts.length == 2 ? parts[0] : parts.length == 1 ? "daily" : null;
        String hourPart = parts[parts.length - 1];
        if (dayPart == null) throw bad(flag, value, null);
        Set<DayOfWeek> days = days(flag, value, dayPart);
        String[] hours = hourPart.split("-");
        if (hours.length != 2) throw bad(flag, value, null);
        LocalTime start = time(flag, value, hours[0]);
        LocalTime end = time(flag, value, hours[1]);
        if (!start.isBefore(end)) throw bad(flag, value, "the start must be before the end, on the same day");
        return new WindowFlag(days, start, end);
    }

    private static Set<DayOfWeek> days(String flag, String value, String spec) {
        if (spec.equals("daily") || spec.equals("all")) return EnumSet.allOf(DayOfWeek.class);
        Set<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
        for (String item : spec.split(",")) {
            String[] range = item.split("-");
            if (range.length == 1) {
                days.add(day(flag, value, range[0]));
            } else if (range.length == 2) {
                // a range may wrap the week's end: fri-mon is fri, sat, sun, mon
                DayOfWeek d = day(flag, value, range[0]);
                DayOfWeek last = day(flag, value, range[1]);
                days.add(d);
                while (d != last) {
                    d = d.plus(1);
                    days.add(d);
                }
            } else {
                throw bad(flag, value, null);
            }
        }
        return days;
    }

    private static DayOfWeek day(String flag, String value, String name) {
        for (int i = 0; i < NAMES.length; i++) if (NAMES[i].equals(name)) return DayOfWeek.of(i + 1);
        throw bad(flag, value, "'" + HeaderSafety.printable(name) + "' is not a day (mon..sun)");
    }

    private static LocalTime time(String flag, String value, String hhmm) {
        try {
            if (!hhmm.matches("[0-9]{2}:[0-9]{2}")) throw new DateTimeParseException("not HH:MM", hhmm, 0);
            return LocalTime.parse(hhmm, HH_MM);
        } catch (DateTimeParseException e) {
            throw bad(flag, value, "'" + HeaderSafety.printable(hhmm) + "' is not a time HH:MM (00:00..23:59)");
        }
    }

    private static IllegalArgumentException bad(String flag, String value, String why) {
        return new IllegalArgumentException(flag + " must be " + FORM + ", got '" + HeaderSafety.printable(value) + "'"
                + (why == null ? "" : ": " + why));
    }

    /** The API's window object; days in week order. */
    ObjectNode toJson() {
        ObjectNode n = Json.MAPPER.createObjectNode();
        var arr = n.putArray("days");
        for (DayOfWeek d : days) arr.add(NAMES[d.getValue() - 1]);
        n.put("start", start.format(HH_MM));
        n.put("end", end.format(HH_MM));
        return n;
    }

    /** The day names in week order, for tests and messages. */
    List<String> dayNames() {
        List<String> out = new ArrayList<>();
        for (DayOfWeek d : days) out.add(NAMES[d.getValue() - 1]);
        return out;
    }
}
