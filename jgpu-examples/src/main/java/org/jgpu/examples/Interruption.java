package org.jgpu.examples;

import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Ctrl-C for a command: asks it to stop, then lets it report. The JVM runs shutdown hooks and
 * exits when they return, so a hook that only cancelled would cut the command off before its
 * summary; this hook waits (bounded) until the command says it has finished.
 */
final class Interruption {
    private final List<Runnable> stoppers = new CopyOnWriteArrayList<>();
    private final CountDownLatch finished = new CountDownLatch(1);
    private volatile boolean requested;

    /** @return one that nothing interrupts (a command run from code, as tests do) */
    static Interruption none() {
        return new Interruption();
    }

    /**
     * Installs the shutdown hook that Ctrl-C (or SIGTERM) runs.
     *
     * @param err where to say that the command did not report in time
     * @param grace how long the command may take to stop and report
     * @return the interruption commands register with
     */
    static Interruption onShutdown(PrintStream err, Duration grace) {
        Interruption i = new Interruption();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> i.interrupt(err, grace), "jgpu-examples-interrupt"));
        return i;
    }

    /** @return true once the command was asked to stop */
    boolean requested() {
        return requested;
    }

    /**
     * Registers how to stop the running work; runs it at once if a stop was already asked.
     *
     * @param stopper returns quickly, e.g. a cooperative cancel
     * @return closing it unregisters the stopper
     */
    Registration whileRunning(Runnable stopper) {
        stoppers.add(stopper);
        if (requested) {
            stopper.run();
        }
        return () -> stoppers.remove(stopper);
    }

    /** A registered stopper; closing it unregisters it. */
    interface Registration extends AutoCloseable {
        @Override
        void close();
    }

    /** Says the command has printed its report: a waiting hook may let the JVM exit. */
    void finished() {
        finished.countDown();
    }

    /** What the hook does: asks the command to stop, then waits up to {@code grace} for its report. */
    void interrupt(PrintStream err, Duration grace) {
        if (finished.getCount() == 0) {
            return;   // a normal exit
        }
        requested = true;
        stoppers.forEach(Runnable::run);
        try {
            if (!finished.await(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                // after the "^C" the terminal echoed: a line of its own
                err.println();
                err.println("interrupted: stopped before the command could report");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
