package org.jgpu.examples;

import java.io.PrintStream;
import java.util.Locale;

/** What an example says: text lines for people, or one JSON object with {@code --json}. */
final class Report {
    final Json json = new Json();
    private final PrintStream out;
    private final boolean quiet;

    Report(PrintStream out, boolean jsonMode) {
        this.out = out;
        this.quiet = jsonMode;
    }

    /** Prints a line unless the command prints JSON. */
    void line(String format, Object... args) {
        if (!quiet) {
            out.println(String.format(Locale.ROOT, format, args));
        }
    }

    /** @return true if the command prints JSON */
    boolean json() {
        return quiet;
    }
}
