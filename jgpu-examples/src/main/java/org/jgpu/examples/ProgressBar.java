package org.jgpu.examples;

import java.io.PrintStream;

/** A progress bar on stderr, drawn only when stderr is a terminal (so logs and pipes stay clean). */
final class ProgressBar {
    private final PrintStream err;
    private final String label;
    private final boolean enabled;
    private long lastDraw;

    ProgressBar(PrintStream err, String label) {
        this.err = err;
        this.label = label;
        this.enabled = System.console() != null && err == System.err;
    }

    /**
     * @param fraction done, in [0, 1]
     * @param detail text after the bar
     */
    void update(double fraction, String detail) {
        if (!enabled) {
            return;
        }
        long now = System.nanoTime();
        if (now - lastDraw < 50_000_000L && fraction < 1) {
            return;
        }
        lastDraw = now;
        int width = 30;
        int full = (int) Math.round(Math.max(0, Math.min(1, fraction)) * width);
        err.print("\r" + label + " [" + "#".repeat(full) + ".".repeat(width - full) + "] " + detail + "   ");
        err.flush();
    }

    void done() {
        if (enabled) {
            err.println();
        }
    }
}
