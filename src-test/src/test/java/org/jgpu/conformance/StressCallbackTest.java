package org.jgpu.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.jgpu.BundledKernels;
import org.jgpu.Context;
import org.jgpu.GpuException;
import org.jgpu.Kernel;
import org.jgpu.LaunchConfig;
import org.jgpu.ModuleSource;
import org.jgpu.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * Host callbacks and onComplete() futures under load: in stream order on any executor; from
 * eight threads on eight streams, with callbacks that enqueue, synchronize or throw, every future
 * completes and every error is reported once, to its own future and to the next
 * Context.synchronize(), in bounded form.
 */
@Tag(Stress.TAG)
@Timeout(value = 2, unit = TimeUnit.HOURS)   // a backstop only: each test bounds itself (Stress.bounded)
class StressCallbackTest {
    /** The most errors a Context.synchronize() keeps; the rest are counted. */
    private static final int KEPT_ERRORS = 64;

    /** The executors to try: the default (the common pool) and a pool of eight threads. */
    private static final List<String> EXECUTORS = List.of("the default executor", "an 8-thread executor");

    private static Context open(String backend, String executor, ExecutorService eight) {
        return Context.create(Backend.options(backend).callbackExecutor(executor.equals(EXECUTORS.get(0)) ? null : eight)
                .build());
    }

    private static ExecutorService eightThreads() {
        AtomicInteger n = new AtomicInteger();
        return Executors.newFixedThreadPool(8, r -> {
            Thread t = new Thread(r, "stress-callbacks-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    @ParameterizedTest
    @FieldSource("org.jgpu.conformance.Backend#ALL")
    void callbacksAndContinuationsOfOneStreamRunInStreamOrderOnAnyExecutor(String backend) {
        int perStream = Stress.scaled(1_000);
        int streams = 4;
        Stress.bounded("callback order (" + backend + ")", Stress.limit(40, 10), () -> {
            ExecutorService eight = eightThreads();
            try {
                for (String executor : EXECUTORS) {
                    try (Context ctx = open(backend, executor, eight)) {
                        Kernel spin = ctx.loadModule(ModuleSource.bundled()).kernel(BundledKernels.SPIN);
                        Stream[] s = new Stream[streams];
                        List<List<Integer>> callbacks = new ArrayList<>();
                        List<List<Integer>> continuations = new ArrayList<>();
                        AtomicBoolean[] running = new AtomicBoolean[streams];
                        AtomicInteger overlaps = new AtomicInteger();
                        for (int x = 0; x < streams; x++) {
                            s[x] = ctx.createStream();
                            callbacks.add(Collections.synchronizedList(new ArrayList<>()));
                            continuations.add(Collections.synchronizedList(new ArrayList<>()));
                            running[x] = new AtomicBoolean();
                        }
                        List<CompletableFuture<?>> futures = new ArrayList<>();
                        for (int i = 0; i < perStream; i++) {
                            if (i % 100 == 0) {
                                Stress.checkpoint();
                            }
                            for (int x = 0; x < streams; x++) {
                                int stream = x;
                                int index = i;
                                s[x].launch(spin, LaunchConfig.forElements(1), 2_000L);
                                futures.add(s[x].callback(() -> {
                                    // like a host function on a CUDA stream: one at a time, in order
                                    if (!running[stream].compareAndSet(false, true)) {
                                        overlaps.incrementAndGet();
                                    }
                                    callbacks.get(stream).add(index);
                                    for (int k = 0; k < 200; k++) {
                                        Thread.onSpinWait();
                                    }
                                    running[stream].set(false);
                                }));
                                CompletableFuture<Void> done = s[x].onComplete();
                                futures.add(done.whenComplete((v, e) -> continuations.get(stream).add(index)));
                            }
                        }
                        CompletableFuture.allOf(futures.toArray(new CompletableFuture[0])).get(60, TimeUnit.SECONDS);
                        for (int x = 0; x < streams; x++) {
                            assertInOrder(perStream, callbacks.get(x), "callbacks of stream " + x + " on " + executor);
                            assertInOrder(perStream, continuations.get(x), "onComplete() continuations of stream " + x
                                    + " on " + executor);
                        }
                        assertEquals(0, overlaps.get(), "callbacks of one stream that ran at the same time, on " + executor);
                        ctx.synchronize();
                    }
                    Stress.report("callback order %s, %s: %d callbacks and %d onComplete() continuations on %d streams, "
                            + "each stream's in order", backend, executor, perStream * streams, perStream * streams, streams);
                }
            } finally {
                eight.shutdownNow();
            }
        });
    }

    private static void assertInOrder(int n, List<Integer> seen, String what) {
        List<Integer> copy;
        synchronized (seen) {
            copy = new ArrayList<>(seen);
        }
        assertEquals(n, copy.size(), what + ": how many ran");
        for (int i = 0; i < n; i++) {
            if (copy.get(i) != i) {
                throw new AssertionError(what + " ran out of order: the " + i + "th to run was the one enqueued as number "
                        + copy.get(i) + "; around it: " + copy.subList(Math.max(0, i - 3), Math.min(n, i + 4)));
            }
        }
    }

    /** What a callback of the many-threads test does. */
    private enum Kind { ENQUEUE, SYNCHRONIZE_STREAM, SYNCHRONIZE_CONTEXT, THROW, NOTHING }

    @ParameterizedTest
    @FieldSource("org.jgpu.conformance.Backend#ALL")
    void callbacksFromEightThreadsOnEightStreamsThatEnqueueSynchronizeOrThrowAllComplete(String backend) {
        int perThread = Stress.scaled(300);
        int threads = 8;
        int streams = 8;
        Stress.bounded("callbacks from 8 threads on 8 streams (" + backend + ")", Stress.limit(60, 20), () -> {
            ExecutorService eight = eightThreads();
            ExecutorService enqueuers = Executors.newFixedThreadPool(threads);
            try {
                for (String executor : EXECUTORS) {
                    try (Context ctx = open(backend, executor, eight)) {
                        Kernel spin = ctx.loadModule(ModuleSource.bundled()).kernel(BundledKernels.SPIN);
                        Stream[] s = new Stream[streams];
                        for (int x = 0; x < streams; x++) {
                            s[x] = ctx.createStream();
                        }
                        Map<CompletableFuture<Void>, Kind> kinds = new ConcurrentHashMap<>();
                        Map<CompletableFuture<Void>, RuntimeException> throwsWhat = new ConcurrentHashMap<>();
                        Set<RuntimeException> thrown = Collections.newSetFromMap(Collections.synchronizedMap(new IdentityHashMap<>()));
                        List<Future<?>> enqueued = new ArrayList<>();
                        for (int t = 0; t < threads; t++) {
                            int thread = t;
                            enqueued.add(enqueuers.submit(() -> {
                                for (int j = 0; j < perThread; j++) {
                                    Stress.checkpoint();
                                    int x = (thread + j) % streams;
                                    Stream other = s[(x + 1 + j % (streams - 1)) % streams];
                                    Kind kind = Kind.values()[(thread * 7 + j) % Kind.values().length];
                                    RuntimeException boom = new IllegalStateException("boom " + thread + "/" + j);
                                    s[x].launch(spin, LaunchConfig.forElements(1), 1_000L);
                                    CompletableFuture<Void> f = s[x].callback(() -> {
                                        switch (kind) {
                                            case ENQUEUE:
                                                other.launch(spin, LaunchConfig.forElements(1), 1_000L);
                                                other.record();
                                                break;
                                            case SYNCHRONIZE_STREAM:
                                                other.synchronize();
                                                break;
                                            case SYNCHRONIZE_CONTEXT:
                                                ctx.synchronize();
                                                break;
                                            case THROW:
                                                thrown.add(boom);
                                                throw boom;
                                            default:
                                                break;
                                        }
                                    });
                                    kinds.put(f, kind);
                                    if (kind == Kind.THROW) {
                                        throwsWhat.put(f, boom);
                                    }
                                    if (j % 2 == 0) {
                                        kinds.put(s[x].onComplete(), Kind.NOTHING);
                                    }
                                }
                                return null;
                            }));
                        }
                        for (Future<?> e : enqueued) {
                            e.get(60, TimeUnit.SECONDS);
                        }
                        checkFutures(kinds, throwsWhat, executor);
                        checkReportedErrors(ctx, thrown, executor);
                        ctx.synchronize();   // reported once: clean now
                    }
                    Stress.report("callbacks %s, %s: %d threads x %d callbacks on %d streams, every future completed, "
                            + "every error reported once", backend, executor, threads, perThread, streams);
                }
            } finally {
                eight.shutdownNow();
                enqueuers.shutdownNow();
            }
        });
    }

    /** Every future completes: a callback that threw with its own error, every other one normally. */
    private static void checkFutures(Map<CompletableFuture<Void>, Kind> kinds,
            Map<CompletableFuture<Void>, RuntimeException> throwsWhat, String executor) throws Exception {
        long deadline = System.nanoTime() + 60_000_000_000L;
        int pending = 0;
        List<String> wrong = new ArrayList<>();
        for (Map.Entry<CompletableFuture<Void>, Kind> e : kinds.entrySet()) {
            CompletableFuture<Void> f = e.getKey();
            try {
                f.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (e.getValue() == Kind.THROW) {
                    wrong.add("a callback that threw completed its future normally");
                }
            } catch (TimeoutException x) {
                pending++;
            } catch (ExecutionException x) {
                RuntimeException own = throwsWhat.get(f);
                if (own == null) {
                    wrong.add("the future of a callback that did not throw (" + e.getValue() + ") failed: "
                            + abbreviate(String.valueOf(x.getCause())));
                } else if (x.getCause() != own) {
                    wrong.add("a callback's future failed with another error than its own: "
                            + abbreviate(String.valueOf(x.getCause())));
                }
            }
        }
        assertEquals(0, pending, pending + " of " + kinds.size() + " futures were still pending 60 s after the last "
                + "callback was enqueued, on " + executor);
        assertEquals(List.of(), wrong.stream().distinct().limit(10).toList(), "futures on " + executor);
    }

    private static final Pattern NESTED = Pattern.compile("callback.*failed.*callback.*failed", Pattern.DOTALL);

    /**
     * The next Context.synchronize() reports the callbacks' errors: each once, none wrapped in
     * another callback's error, at most {@value #KEPT_ERRORS} of them kept and the rest counted.
     */
    private static void checkReportedErrors(Context ctx, Set<RuntimeException> thrown, String executor) {
        GpuException e = assertThrows(GpuException.class, ctx::synchronize, "the callbacks' errors on " + executor);
        List<Throwable> reported = new ArrayList<>();
        reported.add(e);
        reported.addAll(List.of(e.getSuppressed()));
        assertTrue(e.getSuppressed().length <= KEPT_ERRORS, e.getSuppressed().length + " suppressed exceptions, more than "
                + KEPT_ERRORS + ", on " + executor);
        Set<Throwable> found = Collections.newSetFromMap(new IdentityHashMap<>());
        StringBuilder text = new StringBuilder();
        for (Throwable r : reported) {
            text.append(r.getMessage()).append('\n');
            int levels = 0;
            for (Throwable c = r; c != null; c = c.getCause()) {
                if (thrown.contains(c) && !found.add(c)) {
                    throw new AssertionError("the error " + c.getMessage() + " was reported twice, on " + executor, e);
                }
                if (c instanceof GpuException && String.valueOf(c.getMessage()).contains("callback")) {
                    levels++;
                }
            }
            if (levels > 1 || NESTED.matcher(String.valueOf(r.getMessage())).find()) {
                throw new AssertionError("a callback's error is nested in another's, on " + executor + ": "
                        + r.getMessage(), e);
            }
        }
        int more = thrown.size() - found.size();
        assertTrue(found.size() > 0, "none of the " + thrown.size() + " errors thrown was reported, on " + executor);
        if (more > 0) {
            assertTrue(Pattern.compile("(?<!\\d)" + more + "(?!\\d)").matcher(text).find(), thrown.size()
                    + " callbacks threw, " + found.size() + " errors were reported; the report should say how many "
                    + "more there were (" + more + "), on " + executor + ": " + abbreviate(text.toString()));
        }
    }

    private static String abbreviate(String s) {
        return s.length() <= 300 ? s : s.substring(0, 300) + "...";
    }
}
