package io.trunkline.cli;

import sun.misc.Signal;

/**
 * SIGINT and SIGTERM as `run` and `serve` take them: the first starts a graceful stop (no new dials, ringing calls
 * cancelled, answered ones given their grace, every record written), the second cuts the grace short; the command
 * then exits with 128 + the signal's number (130, 143), as a shell expects of a process stopped by a signal.
 *
 * <p>Why signal handlers and not a shutdown hook: once the JVM runs its hooks it ignores further signals, so a second
 * Ctrl-C could not hurry anything, and a hook cannot choose when the process exits (after the last record is flushed).
 */
final class StopSignals {
    private final Runnable graceful;
    private final Runnable hurry;
    private volatile int signal; // 0 until the first
    private volatile boolean hurried;

    private StopSignals(Runnable graceful, Runnable hurry) {
        this.graceful = graceful;
        this.hurry = hurry;
    }

    /** Handles SIGINT and SIGTERM from now on: {@code graceful} runs on its own thread at the first, {@code hurry} at the second. */
    static StopSignals install(Runnable graceful, Runnable hurry) {
        StopSignals s = new StopSignals(graceful, hurry);
        for (String name : new String[] {"INT", "TERM"}) Signal.handle(new Signal(name), s::received);
        return s;
    }

    private synchronized void received(Signal sig) {
        if (signal == 0) {
            signal = sig.getNumber();
            System.err.println("\nstopping (SIG" + sig.getName() + "): no new calls; answered calls get their grace, then a BYE. Again to end them now.");
            Thread t = new Thread(graceful, "graceful-stop");
            t.start();
        } else if (!hurried) {
            hurried = true;
            System.err.println("\nending the calls now");
            hurry.run();
        }
    }

    /** Whether a stop signal has arrived. */
    boolean stopping() { return signal != 0; }

    /** The exit code for a stop by signal (130, 143), or {@code otherwise} when no signal came. */
    int exitCode(int otherwise) {
        return signal == 0 ? otherwise : 128 + signal;
    }
}
