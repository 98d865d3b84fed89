package org.jgpu.conformance;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * One round of a close race: several threads call into an object while the test closes it at
 * a random moment. Records what each call did and what no call may do: be accepted once close()
 * has returned, or fail with anything but an IllegalStateException naming the object.
 */
final class StressRace {
    /** A call a racing thread makes. */
    @FunctionalInterface
    interface Call {
        void run() throws Exception;
    }

    /** What each racing thread does, over and over, until a while after the close. */
    @FunctionalInterface
    interface Step {
        void run(int thread, Random random) throws Exception;
    }

    /** How many calls each thread makes, by default, once it has seen the close returned: all must be refused. */
    private static final int CALLS_AFTER_CLOSE = 20;
    /** Enough calls for any round; a thread stops there even if the close never came. */
    private static final int MAX_CALLS = 200_000;

    private final String object;
    private final int callsAfterClose;
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong probes = new AtomicLong();
    private final Queue<String> problems = new ConcurrentLinkedQueue<>();
    private final Queue<CompletableFuture<?>> futures = new ConcurrentLinkedQueue<>();
    private final AtomicInteger problemCount = new AtomicInteger();
    private volatile boolean closed;

    /** @param object the text an IllegalStateException about the closed object must contain */
    StressRace(String object) {
        this(object, CALLS_AFTER_CLOSE);
    }

    /**
     * @param object the text an IllegalStateException about the closed object must contain
     * @param callsAfterClose how many calls each thread makes once it has seen the close returned
     */
    StressRace(String object, int callsAfterClose) {
        this.object = object;
        this.callsAfterClose = callsAfterClose;
    }

    /** @return a pool of racing threads, for all rounds of a test */
    static ExecutorService pool(int threads) {
        AtomicInteger n = new AtomicInteger();
        return Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "stress-race-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Makes a call of a racing thread.
     *
     * @param what the call, for messages
     * @param call the call
     * @return true if it was accepted
     */
    boolean attempt(String what, Call call) {
        boolean afterClose = closed;   // read before the call: a call that starts after close() returned
        try {
            call.run();
        } catch (IllegalStateException e) {
            if (e.getMessage() == null || !e.getMessage().contains(object)) {
                problem(what + " threw an IllegalStateException that does not name " + object + ": " + e);
            }
            refused.incrementAndGet();
            return false;
        } catch (Throwable t) {
            problem(what + " threw " + t.getClass().getName() + " (only IllegalStateException is allowed): " + t);
            return false;
        }
        accepted.incrementAndGet();
        if (afterClose) {
            problem(what + " was accepted after close() had returned");
        }
        return true;
    }

    /** Counts a probe launch that was accepted: it must have run by the time close() returned. */
    void probeAccepted() {
        probes.incrementAndGet();
    }

    /** Keeps a future an accepted call returned: it must complete. */
    void future(CompletableFuture<?> f) {
        futures.add(f);
    }

    /** Records something a call did that it must not do. */
    void problem(String p) {
        if (problemCount.incrementAndGet() <= 20) {   // the first ones say enough
            problems.add(p);
        }
    }

    /**
     * Runs the round: {@code threads} threads repeat {@code step}; after a random number of accepted
     * calls the calling thread runs {@code close}.
     *
     * @param pool the racing threads
     * @param threads how many race
     * @param random chooses the moment of the close
     * @param step what a racing thread does
     * @param close the close under test
     * @param probeRuns how many probe launches have run (read the moment close returns), or null
     * @return the probe runs when close returned, or -1
     */
    long run(ExecutorService pool, int threads, Random random, Step step, Runnable close, LongSupplier probeRuns)
            throws Exception {
        List<Future<?>> racers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            long seed = random.nextLong();
            racers.add(pool.submit(() -> {
                Random r = new Random(seed);
                int after = 0;
                for (int i = 0; i < MAX_CALLS && after < callsAfterClose; i++) {
                    if (closed) {
                        after++;
                    }
                    try {
                        step.run(thread, r);
                    } catch (Throwable e) {
                        problem("a racing thread failed: " + e);
                        return null;
                    }
                }
                return null;
            }));
        }
        long wanted = random.nextInt(200);
        long until = System.nanoTime() + 200_000_000L;
        while (accepted.get() < wanted && System.nanoTime() < until) {
            Thread.onSpinWait();
        }
        close.run();
        long runs = probeRuns == null ? -1 : probeRuns.getAsLong();
        closed = true;
        for (Future<?> f : racers) {
            f.get(60, TimeUnit.SECONDS);
        }
        return runs;
    }

    /** @return problems found by the round so far: the futures of accepted calls that did not complete, and the rest */
    List<String> problems() {
        for (CompletableFuture<?> f : futures) {
            try {
                f.get(10, TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                problem("a future of an accepted call did not complete within 10 s of the close");
            } catch (Exception e) {
                problem("a future of an accepted call failed: " + e);
            }
        }
        futures.clear();
        List<String> out = new ArrayList<>(problems);
        if (problemCount.get() > out.size()) {
            out.add("and " + (problemCount.get() - out.size()) + " more");
        }
        return out;
    }

    long accepted() {
        return accepted.get();
    }

    long refused() {
        return refused.get();
    }

    long probes() {
        return probes.get();
    }
}
