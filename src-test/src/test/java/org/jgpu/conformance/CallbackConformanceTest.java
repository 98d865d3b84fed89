package org.jgpu.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.jgpu.BundledKernels;
import org.jgpu.Context;
import org.jgpu.GpuException;
import org.jgpu.Kernel;
import org.jgpu.LaunchConfig;
import org.jgpu.ModuleSource;
import org.jgpu.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/** onComplete futures and host callbacks: order, executor, exceptions. */
class CallbackConformanceTest {

    private static Context open(String backend, ExecutorService executor) {
        return Context.create(Backend.options(backend).callbackExecutor(executor).build());
    }

    @ParameterizedTest
    @FieldSource("org.jgpu.conformance.Backend#ALL")
    void callbacksRunInStreamOrderOnTheCallbackExecutor(String backend) throws Exception {
        ExecutorService exec = Executors.newSingleThreadExecutor(r -> new Thread(r, "test-callbacks"));
        try (Context ctx = open(backend, exec)) {
            Kernel spin = ctx.loadModule(ModuleSource.bundled()).kernel(BundledKernels.SPIN);
            Stream s = ctx.createStream();
            List<Integer> order = new CopyOnWriteArrayList<>();
            List<String> threads = new CopyOnWriteArrayList<>();
            CompletableFuture<?> last = null;
            for (int i = 0; i < 5; i++) {
                s.launch(spin, LaunchConfig.forElements(1), 2_000_000L);
                int n = i;
                last = s.callback(() -> {
                    order.add(n);
                    threads.add(Thread.currentThread().getName());
                });
            }
            last.get(10, TimeUnit.SECONDS);
            assertEquals(List.of(0, 1, 2, 3, 4), order);
            assertTrue(threads.stream().allMatch("test-callbacks"::equals), "callbacks ran on " + threads);
        } finally {
            exec.shutdownNow();
        }
    }

    @ParameterizedTest
    @FieldSource("org.jgpu.conformance.Backend#ALL")
    void onCompleteCompletesOnlyAfterTheWorkEnqueuedBeforeIt(String backend) throws Exception {
        try (Context ctx = Backend.open(backend)) {
            Kernel spin = ctx.loadModule(ModuleSource.bundled()).kernel(BundledKernels.SPIN);
            Stream s = ctx.createStream();
            s.launch(spin, LaunchConfig.forElements(1), 30_000_000L);
            org.jgpu.Event spun = s.record();
            CompletableFuture<Void> f = s.onComplete();
            assertFalse(f.isDone(), "completed while the kernel still runs");
            f.get(10, TimeUnit.SECONDS);
            assertTrue(spun.query(), "the future completed before the work enqueued ahead of it");
            CompletableFuture<Void> all = ctx.onComplete();
            all.get(10, TimeUnit.SECONDS);
        }
    }

    @ParameterizedTest
    @FieldSource("org.jgpu.conformance.Backend#ALL")
    void aFailingCallbackFailsItsFutureAndIsRethrownAtTheNextSynchronize(String backend) throws Exception {
        try (Context ctx = Backend.open(backend)) {
            Stream s = ctx.createStream();
            IllegalStateException boom = new IllegalStateException("boom");
            CompletableFuture<Void> f = s.callback(() -> {
                throw boom;
            });
            ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(10, TimeUnit.SECONDS));
            assertSame(boom, e.getCause());
            GpuException stored = assertThrows(GpuException.class, ctx::synchronize);
            assertSame(boom, stored.getCause());
            assertTrue(stored.getMessage().contains("callback on stream"), stored.getMessage());
            ctx.synchronize();   // reported once, then the context is clean again
            s.callback(() -> { }).get(10, TimeUnit.SECONDS);
        }
    }

    @ParameterizedTest
    @FieldSource("org.jgpu.conformance.Backend#ALL")
    void aCallbackMayUseTheStreamWithoutDeadlock(String backend) throws Exception {
        try (Context ctx = Backend.open(backend)) {
            Stream s = ctx.createStream();
            CompletableFuture<Boolean> inner = new CompletableFuture<>();
            s.callback(() -> {
                s.synchronize();          // would deadlock if it ran on the backend's own thread
                inner.complete(s.query());
            }).get(10, TimeUnit.SECONDS);
            assertTrue(inner.get(10, TimeUnit.SECONDS));
        }
    }
}
