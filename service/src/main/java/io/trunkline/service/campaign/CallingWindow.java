package io.trunkline.service.campaign;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * When a campaign may call: days of the week and a span of hours, read in each recipient's local time. A number
 * that spans several zones (a country with one code over many zones, a non-geographic number) may be called only
 * when the window is open in every one of them: the most restrictive reading, as calling-hours law asks.
 *
 * <p>Hours are local wall-clock times, so a window follows daylight-saving changes; a start that falls in a
 * spring-forward gap opens at the first instant after it ({@link ZonedDateTime}'s rule). The end is exclusive and
 * lies after the start on the same day (calling hours never span midnight).
 */
public record CallingWindow(Set<DayOfWeek> days, LocalTime start, LocalTime end) {
    public static final Set<DayOfWeek> EVERY_DAY = EnumSet.allOf(DayOfWeek.class);

    public CallingWindow {
        if (days.isEmpty()) throw new IllegalArgumentException("days must name at least one day");
        if (!end.isAfter(start)) throw new IllegalArgumentException("end must be after start (" + start + " to " + end + ")");
        days = Set.copyOf(days);
    }

    /** The part of this window inside {@code hours} (the legal calling hours); null when they do not overlap. */
    public CallingWindow within(CallingWindow hours) {
        LocalTime s = start.isAfter(hours.start) ? start : hours.start;
        LocalTime e = end.isBefore(hours.end) ? end : hours.end;
        EnumSet<DayOfWeek> d = EnumSet.noneOf(DayOfWeek.class);
        for (DayOfWeek day : days) if (hours.days.contains(day)) d.add(day);
        return d.isEmpty() || !e.isAfter(s) ? null : new CallingWindow(d, s, e);
    }

    /** Whether it is open at {@code t} in every zone. */
    public boolean isOpen(Instant t, List<ZoneId> zones) {
        for (ZoneId z : zones) if (!isOpen(t, z)) return false;
        return true;
    }

    private boolean isOpen(Instant t, ZoneId zone) {
        ZonedDateTime local = t.atZone(zone);
        if (!days.contains(local.getDayOfWeek())) return false;
        return !t.isBefore(open(local.toLocalDate(), zone)) && t.isBefore(close(local.toLocalDate(), zone));
    }

    /**
     * The first instant at or after {@code t} when it is open in every zone, or null when it never is within two
     * weeks (zones so far apart that their windows never overlap).
     */
    public Instant nextOpen(Instant t, List<ZoneId> zones) {
        Instant candidate = t;
        Instant limit = t.plusSeconds(15L * 86_400);
        for (int round = 0; round < 64 && candidate.isBefore(limit); round++) {
            Instant latest = candidate;
            for (ZoneId z : zones) {
                Instant open = nextOpen(candidate, z);
                if (open == null) return null;
                if (open.isAfter(latest)) latest = open;
            }
            if (isOpen(latest, zones)) return latest;
            candidate = latest.equals(candidate) ? candidate.plusSeconds(60) : latest;
        }
        return null;
    }

    private Instant nextOpen(Instant t, ZoneId zone) {
        LocalDate day = t.atZone(zone).toLocalDate();
        for (int d = 0; d <= 7; d++, day = day.plusDays(1)) {
            if (!days.contains(day.getDayOfWeek())) continue;
            Instant close = close(day, zone);
            if (t.isBefore(close)) {
                Instant open = open(day, zone);
                return t.isAfter(open) ? t : open;
            }
        }
        return null;
    }

    /** When the window that is open at {@code t} closes first among the zones (a call must not start after it). */
    public Instant closesAt(Instant t, List<ZoneId> zones) {
        Instant first = null;
        for (ZoneId z : zones) {
            Instant c = close(t.atZone(z).toLocalDate(), z);
            if (first == null || c.isBefore(first)) first = c;
        }
        return first;
    }

    private Instant open(LocalDate day, ZoneId zone) {
        return ZonedDateTime.of(day, start, zone).toInstant();
    }

    private Instant close(LocalDate day, ZoneId zone) {
        return ZonedDateTime.of(day, end, zone).toInstant();
    }

    /** Parses {@code "08:00-21:00"} (every day), as the configuration's calling hours are written. */
    public static CallingWindow hours(String spec) {
        String[] p = spec.strip().split("-");
        if (p.length != 2) throw new IllegalArgumentException("must be HH:MM-HH:MM, like 08:00-21:00, got '" + spec + "'");
        return new CallingWindow(EVERY_DAY, time(p[0]), time(p[1]));
    }

    /** A time of day written HH:MM (24:00 is the end of the day). */
    public static LocalTime time(String hhmm) {
        String s = hhmm.strip();
        if (!s.matches("\\d{2}:\\d{2}")) throw new IllegalArgumentException("must be a time HH:MM, got '" + hhmm + "'");
        int h = Integer.parseInt(s.substring(0, 2)), m = Integer.parseInt(s.substring(3));
        if (h == 24 && m == 0) return LocalTime.MAX;
        if (h > 23 || m > 59) throw new IllegalArgumentException("must be a time 00:00..24:00, got '" + hhmm + "'");
        return LocalTime.of(h, m);
    }

    /** The three-letter day names of the API ({@code mon}..{@code sun}). */
    public static DayOfWeek day(String name) {
        return switch (name.strip().toLowerCase(java.util.Locale.ROOT)) {
            case "mon" -> DayOfWeek.MONDAY;
            case "tue" -> DayOfWeek.TUESDAY;
            case "wed" -> DayOfWeek.WEDNESDAY;
            case "thu" -> DayOfWeek.THURSDAY;
            case "fri" -> DayOfWeek.FRIDAY;
            case "sat" -> DayOfWeek.SATURDAY;
            case "sun" -> DayOfWeek.SUNDAY;
            default -> throw new IllegalArgumentException("must be one of mon, tue, wed, thu, fri, sat, sun, got '" + name + "'");
        };
    }

    public static String name(DayOfWeek d) {
        return d.name().substring(0, 3).toLowerCase(java.util.Locale.ROOT);
    }
}
