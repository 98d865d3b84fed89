package org.jgpu.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.jgpu.Context;
import org.jgpu.GpuException;
import org.jgpu.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/** A stream's callbacks keep its order on any executor; their errors are kept, bounded, and not nested. */
@Timeout(60)
class CallbackOrderConformanceTest {
    private static final int CALLBACKS = 2000;

    private static List<Integer> expected(int n) {
        return IntStream.range(0, n).boxed().collect(Collectors.toList());
    }

    @ParameterizedTest
    @FieldSource("org.jgpu.conformance.Backend#ALL")
    void callbacksKeepTheStreamsOrderOnAMultiThreadedExecutor(String backend) throws Exception {
        ExecutorService exec = Executors.newFixedThreadPool(8);
        try (Context ctx = Context.create(Backend.options(backend).callbackExecutor(exec).build())) {
            Stream s = ctx.createStream();
            List<Integer> order = new ArrayList<>();
            List<Integer> continuations = new ArrayList<>();
            CompletableFuture<?> last = null;
            for (int i = 0; i < CALLBACKS; i++) {
                int n = i;
                last = s.callback(() -> {
                    synchronized (order) {
                        order.add(n);
                    }
                });
                s.onComplete().thenRun(() -> {
                    synchronized (continuations) {
                        continuations.add(n);
                    }
                });
            }
            last.get(30, TimeUnit.SECONDS);
            s.onComplete().get(30, TimeUnit.SECONDS);
            synchronized (order) {
                assertEquals(expected(CALLBACKS), order);
            }
            synchronized (continuations) {
                assertEquals(expected(CALLBACKS), continuations);
            }
        } finally {
            exec.shutdownNow();
        }
    }

    @ParameterizedTest
    @FieldSource("org.jgpu.conformance.Backend#ALL")
    void callbacksKeepTheStreamsOrderOnTheDefaultExecutor(String backend) throws Exception {
        try (Context ctx = Backend.open(backend)) {
            Stream s = ctx.createStream();
            List<Integer> order = new ArrayList<>();
            CompletableFuture<?> last = null;
            for (int i = 0; i < CALLBACKS; i++) {
                int n = i;
                last = s.callback(() -> {
                    synchronized (order) {
                        order.add(n);
                    }
                });
            }
            last.get(30, TimeUnit.SECONDS);
            synchronized (order) {
                assertEquals(expected(CALLBACKS), order);
            }
        }
    }

    @ParameterizedTest
    @FieldSource("org.jgpu.conformance.Backend#ALL")
    void storedCallbackErrorsAreBoundedAndCounted(String backend) throws Exception {
        try (Context ctx = Backend.open(backend)) {
            Stream s = ctx.createStream();
            CompletableFuture<?> last = null;
            for (int i = 0; i < 200; i++) {
                int n = i;
                last = s.callback(() -> {
                    throw new IllegalStateException("boom " + n);
                });
            }
            CompletableFuture<?> end = last;
            assertThrows(Exception.class, () -> end.get(30, TimeUnit.SECONDS));
            GpuException e = assertThrows(GpuException.class, ctx::synchronize);
            assertTrue(e.getMessage().contains("boom 0"), e.getMessage());
            Throwable[] suppressed = e.getSuppressed();
            assertEquals(64, suppressed.length, "63 more kept, and one that counts the dropped");
            assertTrue(suppressed[62].getMessage().contains("boom 63"), suppressed[62].getMessage());
            assertTrue(suppressed[63].getMessage().contains("136 more errors"), suppressed[63].getMessage());
            ctx.synchronize();      // taken once
        }
    }

    @ParameterizedTest
    @FieldSource("org.jgpu.conformance.Backend#ALL")
    void aSynchronizeInsideACallbackLeavesOtherCallbacksErrorsToTheApplication(String backend) throws Exception {
        ExecutorService exec = Executors.newFixedThreadPool(4);
        try (Context ctx = Context.create(Backend.options(backend).callbackExecutor(exec).build())) {
            Stream failing = ctx.createStream();
            Stream syncing = ctx.createStream();
            List<CompletableFuture<Void>> failed = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                int n = i;
                failed.add(failing.callback(() -> {
                    throw new IllegalStateException("boom " + n);
                }));
            }
            for (CompletableFuture<Void> f : failed) {
                assertThrows(Exception.class, () -> f.get(30, TimeUnit.SECONDS));
            }
            List<CompletableFuture<Void>> syncs = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                syncs.add(syncing.callback(ctx::synchronize));
            }
            for (CompletableFuture<Void> f : syncs) {
                f.get(30, TimeUnit.SECONDS);     // a synchronize in a callback does not take the others' errors
                assertFalse(f.isCompletedExceptionally());
            }
            GpuException e = assertThrows(GpuException.class, ctx::synchronize);
            assertEquals(9, e.getSuppressed().length, "all ten errors, once each");
            List<Throwable> all = new ArrayList<>(List.of(e.getSuppressed()));
            all.add(e);
            for (Throwable t : all) {
                assertTrue(t.getCause() instanceof IllegalStateException, "not nested: " + t);
                assertFalse(t.getMessage().indexOf("failed") != t.getMessage().lastIndexOf("failed"), t.getMessage());
            }
        } finally {
            exec.shutdownNow();
        }
    }
}
