package org.jgpu.examples;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.util.Locale;

/** What a command says: text lines for people, or one JSON object with {@code --json}. */
final class Report {
    /** The JSON object the command fills; printed by {@link #finish()} with {@code --json}. */
    final ObjectNode json = JsonOutput.object();
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

    /**
     * Says, on the host backend, what its rates measure: the Java twins do the arithmetic on the
     * CPU and a kernel lasts as long as its twin takes, so the rates are this CPU's, not a GPU's.
     *
     * @param ctx the context the command ran on
     */
    void simulatedCaveat(org.jgpu.Context ctx) {
        if (ctx.device().simulated()) {
            line("  (host backend: the kernels' Java twins do the arithmetic on this CPU and a kernel lasts as long as "
                    + "its twin takes, so stage times and rates are the CPU's, not a GPU's)");
        }
    }

    /** @return true if the command prints JSON */
    boolean json() {
        return quiet;
    }

    /** Prints the JSON object, as the one line on stdout, if the command prints JSON. */
    void finish() {
        if (quiet) {
            out.println(JsonOutput.write(json));
        }
    }
}
