package org.jgpu.examples;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

/**
 * A progress bar on stderr with the time left, drawn only when asked: by default when stderr is
 * a terminal, so that logs and pipes stay clean.
 */
final class ProgressBar {
    private static final int WIDTH = 30;
    private final PrintStream err;
    private final String label;
    private final boolean enabled;
    private final long startNanos = System.nanoTime();
    private long lastDraw;
    private boolean drawn;

    ProgressBar(PrintStream err, String label, boolean enabled) {
        this.err = err;
        this.label = label;
        this.enabled = enabled;
    }

    /**
     * Whether this process's stderr is a terminal. {@link System#console()} answers for stdin
     * and stdout, so a redirected stdout would hide the bar: on Linux the answer comes from
     * where file descriptor 2 points; elsewhere it falls back to the console.
     *
     * @return true if stderr is a terminal
     */
    static boolean stderrIsTerminal() {
        try {
            String target = Files.readSymbolicLink(Path.of("/proc/self/fd/2")).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
        } catch (IOException | UnsupportedOperationException | SecurityException noProc) {
            return System.console() != null;
        }
    }

    /** @return whether the bar draws (callers skip building its detail text when not) */
    boolean enabled() {
        return enabled;
    }

    /**
     * Redraws the bar, at most every 50 ms, with the time left estimated from the rate so far.
     *
     * @param fraction done, in [0, 1]
     * @param detail text after the bar
     */
    void update(double fraction, String detail) {
        double elapsed = System.nanoTime() - startNanos;
        update(fraction, detail, fraction <= 0 ? null : Duration.ofNanos((long) (elapsed * (1 - fraction) / fraction)));
    }

    /**
     * Redraws the bar, at most every 50 ms.
     *
     * @param fraction done, in [0, 1]
     * @param detail text after the bar
     * @param remaining the time left, or null if not known yet
     */
    void update(double fraction, String detail, Duration remaining) {
        if (!enabled) {
            return;
        }
        long now = System.nanoTime();
        if (now - lastDraw < 50_000_000L && fraction < 1) {
            return;
        }
        lastDraw = now;
        drawn = true;
        int full = (int) Math.round(Math.max(0, Math.min(1, fraction)) * WIDTH);
        String eta = remaining == null ? "" : String.format(Locale.ROOT, ", %.1f s left", remaining.toMillis() / 1e3);
        err.print("\r" + label + " [" + "#".repeat(full) + ".".repeat(WIDTH - full) + "] " + detail + eta + "   ");
        err.flush();
    }

    /** Ends the bar's line, if it drew one. */
    void done() {
        if (drawn) {
            err.println();
            drawn = false;
        }
    }
}
