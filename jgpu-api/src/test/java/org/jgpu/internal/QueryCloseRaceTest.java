package org.jgpu.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.jgpu.Context;
import org.jgpu.ContextOptions;
import org.junit.jupiter.api.Test;

/**
 * A device query made outside the context's lock ({@code memoryInfo()},
 * {@code streamPriorityRange()}) is a call that close waits for: the backend is not closed
 * under it, and after the close it is refused with an IllegalStateException.
 */
class QueryCloseRaceTest {
    private static final Duration BOUND = Duration.ofSeconds(20);

    @Test
    void memoryInfoIsNotClosedUnderneath() {
        raceClose(Context::memoryInfo);
    }

    @Test
    void streamPriorityRangeIsNotClosedUnderneath() {
        raceClose(Context::streamPriorityRange);
    }

    @Test
    void aRecordedEventsQueryIsNotDestroyedUnderneath() {
        assertTimeoutPreemptively(BOUND, () -> {
            ContextOptions options = ContextOptions.builder().backend("host").build();
            LostCallbackBackend backend = new LostCallbackBackend(options);
            CoreContext ctx = new CoreContext(backend, options, false, null);
            org.jgpu.Stream s = ctx.createStream();
            org.jgpu.Event e = s.record();
            s.synchronize();
            CountDownLatch release = new CountDownLatch(1);
            backend.release = release;
            backend.holdEventQueries = true;
            CompletableFuture<Boolean> asked = CompletableFuture.supplyAsync(e::query);
            backend.entered.await();
            CompletableFuture<Void> closing = CompletableFuture.runAsync(ctx::close);
            assertThrows(java.util.concurrent.TimeoutException.class, () -> closing.get(300, TimeUnit.MILLISECONDS),
                    "the context destroyed the pooled event under a query of it");
            release.countDown();
            org.junit.jupiter.api.Assertions.assertTrue(asked.get());
            closing.get();
            assertThrows(IllegalStateException.class, e::query);
        });
    }

    private static void raceClose(Function<Context, Object> query) {
        assertTimeoutPreemptively(BOUND, () -> {
            ContextOptions options = ContextOptions.builder().backend("host").build();
            LostCallbackBackend backend = new LostCallbackBackend(options);
            CoreContext ctx = new CoreContext(backend, options, false, null);
            CountDownLatch release = new CountDownLatch(1);
            backend.release = release;
            CompletableFuture<Object> asked = CompletableFuture.supplyAsync(() -> query.apply(ctx));
            backend.entered.await();
            CompletableFuture<Void> closing = CompletableFuture.runAsync(ctx::close);
            // the close waits for the call in the backend
            assertThrows(java.util.concurrent.TimeoutException.class, () -> closing.get(300, TimeUnit.MILLISECONDS),
                    "the context closed its backend under a call in it");
            release.countDown();
            assertNotNull(asked.get());
            closing.get();
            backend.release = null;
            assertThrows(IllegalStateException.class, () -> query.apply(ctx));
            assertFalse(asked.isCompletedExceptionally());
        });
    }
}
