package org.jgpu.conformance;

import static org.junit.jupiter.api.Assertions.fail;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.jgpu.Context;
import org.jgpu.DeviceBuffer;
import org.jgpu.Stream;
import org.slf4j.LoggerFactory;

/**
 * What the stress group (JUnit tag {@code stress}) shares: its size, a time bound that turns a
 * hang into a failure with every thread's stack, and samples of heap and threads.
 *
 * <p>The group runs at a size that keeps {@code mvn -B verify} short; {@code -Djgpu.stress.scale=N}
 * runs N times as many operations, streams and repetitions (and allows N times the time).
 */
final class Stress {
    /** The JUnit tag of the group. */
    static final String TAG = "stress";

    /** How many times the default size to run: {@code -Djgpu.stress.scale=N}, at least 1. */
    static final int SCALE = scale();

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final long MIB = 1L << 20;

    private Stress() {
    }

    private static int scale() {
        int s = Integer.getInteger("jgpu.stress.scale", 1);
        if (s < 1) {
            throw new IllegalArgumentException("jgpu.stress.scale must be at least 1, got " + s);
        }
        return s;
    }

    /** @return {@code base} times the scale, exactly */
    static int scaled(int base) {
        return Math.multiplyExact(base, SCALE);
    }

    /** @return a time bound of {@code fixedSeconds} plus {@code perScaleSeconds} for each unit of scale */
    static Duration limit(int fixedSeconds, int perScaleSeconds) {
        return Duration.ofSeconds(fixedSeconds + (long) perScaleSeconds * SCALE);
    }

    /** Prints one line of figures to stdout, where the build log keeps them. */
    static void report(String format, Object... args) {
        System.out.println("[stress x" + SCALE + "] " + String.format(java.util.Locale.ROOT, format, args));
        System.out.flush();
    }

    /** A test body that may throw anything. */
    @FunctionalInterface
    interface Body {
        void run() throws Exception;
    }

    /**
     * Runs {@code body} on a worker thread. If it has not finished within {@code limit}, prints
     * every thread's stack, interrupts the worker and fails, naming what hung: a hang becomes a
     * failure of this test, never a hung build.
     *
     * @param what what the body does, for the failure
     * @param limit how long it may take
     * @param body the test
     */
    static void bounded(String what, Duration limit, Body body) {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread worker = new Thread(() -> {
            try {
                body.run();
            } catch (Throwable t) {
                failure.set(t);
            }
        }, "stress-" + what);
        // a body that stays hung must not keep the JVM alive after the build's last test
        worker.setDaemon(true);
        long heapStart = heapAfterGc();
        long t0 = System.nanoTime();
        long deadline = t0 + limit.toNanos();
        worker.start();
        String blowUp = null;
        long[] heapChecks = {t0, 0};
        try {
            while (worker.isAlive() && System.nanoTime() < deadline) {
                worker.join(50);
                blowUp = heapBlowUp(heapStart, heapChecks);
                if (blowUp != null) {
                    break;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            worker.interrupt();
            fail("interrupted while waiting for " + what);
        }
        if (worker.isAlive()) {
            StackTraceElement[] where = worker.getStackTrace();
            String dump = threadDump();
            String problem = blowUp != null
                    ? String.format(java.util.Locale.ROOT, "%s after %.1f s", blowUp, (System.nanoTime() - t0) / 1e9)
                    : "did not finish within " + limit.toSeconds() + " s";
            report("%s %s; thread dump:%n%s", what, problem, dump);
            // stop it at its next check, so that it does not load the machine under the next test
            worker.interrupt();
            try {
                worker.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            AssertionError e = new AssertionError(what + " " + problem + " (scale " + SCALE + "): "
                    + (blowUp != null ? "a blow-up" : "a hang or a slowdown")
                    + "; every thread's stack was printed to stdout, the worker "
                    + (worker.isAlive() ? "is still " + worker.getState() : "stopped after an interrupt") + " in "
                    + firstProjectFrame(where) + "\n" + deadlocks());
            Throwable stack = new Throwable("stack of the worker thread '" + worker.getName() + "' at the deadline");
            stack.setStackTrace(where);
            e.addSuppressed(stack);
            throw e;
        }
        Throwable t = failure.get();
        if (t instanceof Error) {
            throw (Error) t;
        }
        if (t instanceof RuntimeException) {
            throw (RuntimeException) t;
        }
        if (t != null) {
            throw new AssertionError(what + " failed: " + t, t);
        }
        report("%s: %.1f s", what, (System.nanoTime() - t0) / 1e9);
    }

    /**
     * The growth of the live heap that ends a bounded body before it takes the JVM (and every
     * other test's result) down with an OutOfMemoryError: far above what any stress test keeps.
     */
    private static long heapGuard() {
        return Math.min(256 * MIB, Runtime.getRuntime().maxMemory() / 8);
    }

    /**
     * @param start heap after GC when the body started
     * @param state when full collections may next run to tell garbage from what is kept, and how
     *              much was in use at the last ones: they run when the heap has grown by the guard
     *              since, or else at most once a second, so that checking does not slow the body
     *              down; updated here
     * @return why the heap has blown up since {@code start}, or null while it has not
     */
    private static String heapBlowUp(long start, long[] state) {
        long guard = heapGuard();
        long used = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() - start;
        if (used < guard) {
            return null;   // cheap: garbage included, it is still below the guard
        }
        long now = System.nanoTime();
        if (now < state[0] && used < state[1] + guard) {
            return null;
        }
        state[0] = now + 1_000_000_000L;
        state[1] = used;
        long live = heapAfterGc() - start;
        if (live < guard) {
            return null;
        }
        return String.format(java.util.Locale.ROOT, "kept %.0f MiB more heap after GC than at its start (allowed: %d MiB)",
                live / (double) MIB, guard / MIB);
    }

    /**
     * For the loops of a bounded body: stops it once the bound has passed.
     *
     * @throws CancellationException if the worker was interrupted
     */
    static void checkpoint() {
        if (Thread.currentThread().isInterrupted()) {
            throw new CancellationException("the time bound passed");
        }
    }

    /**
     * @return every live thread but the calling one (the test runner, waiting for the worker), with
     *         its state and whole stack (ThreadInfo.toString() would keep only 8 frames); threads
     *         with the same state and stack are printed once, with how many there are
     */
    static String threadDump() {
        Map<Thread, StackTraceElement[]> all = Thread.getAllStackTraces();
        List<Thread> threads = new ArrayList<>(all.keySet());
        threads.sort(Comparator.comparing(Thread::getName));
        Map<String, List<String>> byStack = new java.util.LinkedHashMap<>();
        for (Thread t : threads) {
            if (t == Thread.currentThread()) {
                continue;
            }
            StringBuilder b = new StringBuilder();
            b.append(t.getState());
            ThreadInfo info = THREADS.getThreadInfo(t.getId());
            if (info != null && info.getLockName() != null) {
                b.append(" on ").append(info.getLockName().replaceAll("@[0-9a-f]+$", ""));
                if (info.getLockOwnerName() != null) {
                    b.append(" owned by \"").append(info.getLockOwnerName()).append('"');
                }
            }
            b.append('\n');
            for (StackTraceElement e : all.get(t)) {
                b.append("\tat ").append(e).append('\n');
            }
            byStack.computeIfAbsent(b.toString(), k -> new ArrayList<>())
                    .add('"' + t.getName() + '"' + (t.isDaemon() ? " daemon" : ""));
        }
        StringBuilder out = new StringBuilder();
        for (Map.Entry<String, List<String>> e : byStack.entrySet()) {
            List<String> names = e.getValue();
            out.append(names.get(0));
            if (names.size() > 1) {
                out.append(" and ").append(names.size() - 1).append(" more with this stack: ")
                        .append(names.subList(1, Math.min(names.size(), 6))).append(names.size() > 6 ? "..." : "");
            }
            out.append(' ').append(e.getKey());
        }
        return out.toString();
    }

    /** @return the innermost frame of jgpu or of this suite: where the worker waits, not the JDK's wait() */
    private static String firstProjectFrame(StackTraceElement[] stack) {
        for (StackTraceElement e : stack) {
            if (e.getClassName().startsWith("org.jgpu.")) {
                return e.toString();
            }
        }
        return stack.length == 0 ? "?" : stack[0].toString();
    }

    private static String deadlocks() {
        long[] ids = THREADS.findDeadlockedThreads();
        if (ids == null) {
            return "no monitor or lock deadlock was found";
        }
        return "deadlocked: " + java.util.Arrays.stream(THREADS.getThreadInfo(ids))
                .map(i -> i == null ? "?" : "'" + i.getThreadName() + "' waits for " + i.getLockName() + " held by '"
                        + i.getLockOwnerName() + "'")
                .collect(Collectors.joining("; "));
    }

    // ---- heap and threads

    /** @return heap in use after full collections, in bytes: what the program keeps */
    static long heapAfterGc() {
        long used = Long.MAX_VALUE;
        // several rounds: a cleaner may release memory that becomes garbage after the first
        for (int i = 0; i < 3; i++) {
            System.gc();
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CancellationException("interrupted");
            }
            used = Math.min(used, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        return used;
    }

    /**
     * @return live threads, not counting the common fork-join pool's workers (which the JVM
     *         starts and retires on its own schedule, whoever uses the pool)
     */
    static int liveThreads() {
        int n = 0;
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.isAlive() && !t.getName().startsWith("ForkJoinPool.commonPool-worker")) {
                n++;
            }
        }
        return n;
    }

    /** @return the names of the threads {@link #liveThreads()} counts, grouped, for a failure message */
    static String threadNames() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive)
                .map(t -> t.getName().replaceAll("\\d+", "#")).filter(n -> !n.startsWith("ForkJoinPool.commonPool"))
                .collect(Collectors.groupingBy(n -> n, java.util.TreeMap::new, Collectors.counting())).toString();
    }

    /**
     * Waits (a generous while: threads end asynchronously after their stream is destroyed) for
     * the live threads to drop to {@code most}, then fails if they have not.
     *
     * @param most the most threads allowed
     * @param why what should have ended them
     * @return the count reached
     */
    static int assertThreadsAtMost(int most, String why) {
        long deadline = System.nanoTime() + 10_000_000_000L;
        int n = liveThreads();
        while (n > most && System.nanoTime() < deadline) {
            heapAfterGc();   // a cleaner may have to run first
            n = liveThreads();
        }
        if (n > most) {
            fail(why + ": " + n + " live threads, expected at most " + most + "; threads: " + threadNames());
        }
        return n;
    }

    /**
     * Opens and uses a context once, so that what lives for the whole JVM (the cleaner thread,
     * class loading, the logged-once messages) exists before a baseline is measured.
     *
     * @param backend the backend
     * @return live threads afterwards: the baseline
     */
    static int warmUp(String backend) {
        try (Context ctx = Context.create(Backend.options(backend).build());
                DeviceBuffer d = ctx.allocDevice(64)) {
            Stream s = ctx.createStream();
            s.fill(d, 1);
            s.copy(d, new float[16]);
            s.callback(() -> { }).join();
            s.onComplete().join();
            ctx.synchronize();
        }
        heapAfterGc();
        return liveThreads();
    }

    /** Heap after GC and live threads at points of a run, with the "flat" checks. */
    static final class Samples {
        /** One measurement. */
        record Sample(long ops, long heapBytes, int threads, long nanos) {
        }

        private final String what;
        private final String unit;
        private final List<Sample> samples = new ArrayList<>();
        private final long t0 = System.nanoTime();

        /**
         * @param what the run, for messages
         * @param unit what {@link #take(long)} counts, e.g. "ops" or "streams"
         */
        Samples(String what, String unit) {
            this.what = what;
            this.unit = unit;
        }

        /** Measures now, after {@code ops} operations (or streams, contexts, rounds: the unit). */
        void take(long ops) {
            samples.add(new Sample(ops, heapAfterGc(), liveThreads(), System.nanoTime()));
        }

        List<Sample> all() {
            return samples;
        }

        /** Prints the samples: ops, heap after GC in MiB, threads. */
        void print() {
            report("%s: heap after GC (MiB) at %s", what, samples.stream()
                    .map(s -> String.format(java.util.Locale.ROOT, "%d %s: %.1f", s.ops(), unit, s.heapBytes() / (double) MIB))
                    .collect(Collectors.joining(", ")));
            report("%s: live threads at the samples %s", what,
                    samples.stream().map(s -> String.valueOf(s.threads())).collect(Collectors.joining(" ")));
        }

        /**
         * The heap after GC at the last sample is at most {@code marginMiB} above the first
         * (which is taken after a warm-up): no growth with the number of operations.
         */
        void assertHeapFlat(int marginMiB) {
            Sample first = samples.get(0);
            Sample last = samples.get(samples.size() - 1);
            long growth = last.heapBytes() - first.heapBytes();
            if (growth > marginMiB * MIB) {
                fail(String.format(java.util.Locale.ROOT,
                        "%s: the heap after GC grew by %.1f MiB from %d to %d %s (allowed: %d MiB); samples: %s",
                        what, growth / (double) MIB, first.ops(), last.ops(), unit, marginMiB, mib()));
            }
        }

        /** No sample has more than {@code slack} threads above the first. */
        void assertThreadsFlat(int slack) {
            int first = samples.get(0).threads();
            for (Sample s : samples) {
                if (s.threads() > first + slack) {
                    fail(what + ": " + s.threads() + " live threads after " + s.ops() + " " + unit + ", " + first
                            + " at the first sample (allowed: +" + slack + "); threads now: " + threadNames());
                }
            }
        }

        private String mib() {
            return samples.stream().map(s -> String.format(java.util.Locale.ROOT, "%.1f", s.heapBytes() / (double) MIB))
                    .collect(Collectors.joining(" ")) + " MiB";
        }

        long elapsedNanos() {
            return System.nanoTime() - t0;
        }
    }

    /** Collects the leak warnings of {@code org.jgpu.leaks} while open. */
    static final class LeakWarnings implements AutoCloseable {
        private final Logger logger = (Logger) LoggerFactory.getLogger("org.jgpu.leaks");
        private final ListAppender<ILoggingEvent> seen = new ListAppender<>();

        LeakWarnings() {
            seen.start();
            logger.addAppender(seen);
        }

        /**
         * @param about text the warning must contain (a context's name), so that leaks of other
         *              tests' objects do not count
         * @return the warnings about it so far
         */
        List<String> about(String about) {
            List<String> out = new ArrayList<>();
            List<ILoggingEvent> events;
            synchronized (seen) {   // the appender appends under its own monitor
                events = List.copyOf(seen.list);
            }
            for (ILoggingEvent e : events) {
                String m = e.getFormattedMessage();
                if (m.contains(about)) {
                    out.add(m);
                }
            }
            return out;
        }

        /** Collects garbage until the cleaner has had a fair chance to report what became unreachable. */
        void settle() {
            for (int i = 0; i < 5; i++) {
                heapAfterGc();
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new CancellationException("interrupted");
                }
            }
        }

        @Override
        public void close() {
            logger.detachAppender(seen);
        }
    }
}
