package io.trunkline.cli;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.Console;
import java.io.PrintStream;
import java.util.Locale;

/**
 * The one-line progress of {@code campaign show --watch}. On a terminal the line is redrawn in place with a carriage
 * return; into a pipe or a log file a carriage return would pile up every redraw on one endless line, so there each
 * change is its own line and an unchanged state is not repeated.
 */
final class ProgressBar {
    static final int WIDTH = 30;

    private final PrintStream out;
    private final boolean terminal;
    private String last = "";
    private boolean open; // a line drawn in place and not yet ended with a newline

    ProgressBar(PrintStream out, boolean terminal) {
        this.out = out;
        this.terminal = terminal;
    }

    /** Renders {@code [#########.....]  15/28  53%  running  4.8/s  ETA 32s}. */
    static String line(JsonNode campaign) {
        long total = CampaignReport.total(campaign);
        long done = CampaignReport.finished(campaign);
        double fraction = total == 0 ? 0 : Math.min(1.0, (double) done / total);
        int filled = (int) Math.floor(fraction * WIDTH);
        return "[" + "#".repeat(filled) + ".".repeat(WIDTH - filled) + "]  " + done + "/" + total + "  "
                + String.format(Locale.ROOT, "%3d%%", (int) Math.floor(fraction * 100)) + "  " + campaign.path("status").asText()
                + "  " + CampaignReport.rate(campaign) + "  ETA " + CampaignReport.eta(campaign);
    }

    synchronized void draw(JsonNode campaign) {
        String line = line(campaign);
        if (terminal) {
            // pad over the tail of a longer previous line instead of relying on an ANSI erase
            out.print("\r" + line + " ".repeat(Math.max(0, last.length() - line.length())));
            out.flush();
            open = true;
        } else if (!line.equals(last)) {
            out.println(line);
            out.flush();
        }
        last = line;
    }

    /** A note (a lost connection, say) under the bar without garbling it. */
    synchronized void note(String message) {
        end();
        out.println(message);
        out.flush();
        last = "";
    }

    /** Ends the in-place line so that what follows starts on its own line (also from the Ctrl-C hook). */
    synchronized void end() {
        if (open) {
            out.println();
            out.flush();
            open = false;
        }
    }

    /**
     * Whether stdout is an interactive terminal. {@link System#console()} is null when a stream is redirected on
     * JDK 21; from JDK 22 it may be non-null anyway and {@code Console.isTerminal()} tells, which is called by
     * reflection because the project compiles for 21.
     */
    static boolean stdoutIsTerminal() {
        Console c = System.console();
        if (c == null) return false;
        try {
            return (Boolean) Console.class.getMethod("isTerminal").invoke(c);
        } catch (NoSuchMethodException e) {
            return true; // JDK 21: a console exists only when attached to a terminal
        } catch (ReflectiveOperationException | RuntimeException e) {
            return false;
        }
    }
}
