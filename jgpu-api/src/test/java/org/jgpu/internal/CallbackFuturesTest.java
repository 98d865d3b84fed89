package org.jgpu.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jgpu.ContextOptions;
import org.jgpu.DeviceBuffer;
import org.jgpu.Event;
import org.jgpu.Stream;
import org.junit.jupiter.api.Test;

/**
 * The context does not rely on its backend alone to complete callback futures: one whose backend
 * callback never comes (as CUDA never calls a host function after a context error) fails when
 * the context closes, naming the context, instead of hanging.
 */
class CallbackFuturesTest {
    private static final Duration BOUND = Duration.ofSeconds(20);

    @Test
    void futuresTheBackendNeverCallsBackFailWhenTheContextCloses() {
        ContextOptions options = ContextOptions.builder().backend("host").build();
        LostCallbackBackend backend = new LostCallbackBackend(options);
        CoreContext ctx = new CoreContext(backend, options, false, null);
        Stream s = ctx.createStream();
        DeviceBuffer x = ctx.allocDevice(64);
        s.fill(x, 1);
        Event e = s.record();
        // called back normally before the backend goes quiet: completes normally, also after close
        CompletableFuture<Void> before = s.onComplete();
        assertTimeoutPreemptively(BOUND, () -> before.get());
        backend.dropCallbacks = true;
        AtomicBoolean ran = new AtomicBoolean();
        List<CompletableFuture<Void>> dropped = List.of(s.onComplete(), s.callback(() -> ran.set(true)), e.onComplete(),
                ctx.onComplete());
        assertFalse(dropped.stream().anyMatch(CompletableFuture::isDone), "a dropped callback's future completed");
        x.close();
        ctx.close();
        assertTimeoutPreemptively(BOUND, () -> {
            for (CompletableFuture<Void> f : dropped) {
                ExecutionException ex = assertThrows(ExecutionException.class, () -> f.get(BOUND.toMillis(), TimeUnit.MILLISECONDS));
                assertTrue(ex.getCause().getMessage().contains(ctx.name() + " was closed"), ex.getCause().getMessage());
            }
        });
        assertFalse(ran.get(), "a callback ran after its context closed without the backend calling back");
        assertTrue(before.isDone() && !before.isCompletedExceptionally());
    }

    @Test
    void futuresFailedAtCloseCompleteLaterOnTheExecutorInStreamOrderAndMayCloseThings() throws Exception {
        ContextOptions options = ContextOptions.builder().backend("host").build();
        LostCallbackBackend backend = new LostCallbackBackend(options);
        CoreContext ctx = new CoreContext(backend, options, false, null);
        Stream s = ctx.createStream();
        Stream other = ctx.createStream();
        DeviceBuffer x = ctx.allocDevice(64);
        Event e = s.record();
        backend.dropCallbacks = true;
        Thread closer = Thread.currentThread();
        List<Integer> order = Collections.synchronizedList(new ArrayList<>());
        List<Thread> threads = Collections.synchronizedList(new ArrayList<>());
        List<CompletableFuture<?>> continuations = new ArrayList<>();
        int n = 40;
        for (int i = 0; i < n; i++) {
            int index = i;
            CompletableFuture<Void> f = i % 2 == 0 ? s.onComplete() : s.callback(() -> { });
            continuations.add(f.whenComplete((v, t) -> {
                order.add(index);
                threads.add(Thread.currentThread());
            }));
        }
        // continuations that close things: they must not wait for a close that waits for them
        continuations.add(s.onComplete().whenComplete((v, t) -> other.close()));
        continuations.add(e.onComplete().whenComplete((v, t) -> {
            threads.add(Thread.currentThread());
            x.close();
            ctx.close();
        }));
        assertTimeoutPreemptively(BOUND, () -> {
            ctx.close();
            CompletableFuture.allOf(continuations.toArray(CompletableFuture[]::new)).handle((v, t) -> null).get();
        }, "a continuation of a future failed at close deadlocked the close");
        List<Integer> expected = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            expected.add(i);
        }
        assertEquals(expected, order, "one stream's futures fail in the order they were asked for");
        assertFalse(threads.contains(closer), "a continuation ran on the closing thread");
        for (CompletableFuture<?> c : continuations) {
            assertTrue(c.isCompletedExceptionally());
        }
    }

    @Test
    void aCallbackWhoseRequestThrewDoesNotRunEvenIfTheBackendQueuedIt() throws Exception {
        ContextOptions options = ContextOptions.builder().backend("host").build();
        LostCallbackBackend backend = new LostCallbackBackend(options);
        CoreContext ctx = new CoreContext(backend, options, false, null);
        try (Stream s = ctx.createStream()) {
            AtomicBoolean ran = new AtomicBoolean();
            backend.throwAfterCallback = true;
            assertThrows(IllegalStateException.class, () -> s.callback(() -> ran.set(true)));
            backend.throwAfterCallback = false;
            // the queued hand-off has run by the time a later callback of the stream has
            s.callback(() -> { }).get(BOUND.toMillis(), TimeUnit.MILLISECONDS);
            assertFalse(ran.get(), "the action of a callback() that threw ran");
        } finally {
            ctx.close();
        }
    }

    @Test
    void aFailedCaptureThrowsTheBodysExceptionWithTheEndCaptureFailureSuppressed() {
        ContextOptions options = ContextOptions.builder().backend("host").build();
        LostCallbackBackend backend = new LostCallbackBackend(options);
        CoreContext ctx = new CoreContext(backend, options, false, null);
        try (Stream s = ctx.createStream(); DeviceBuffer x = ctx.allocDevice(64)) {
            backend.failEndCapture = true;
            RuntimeException body = new RuntimeException("body failed");
            RuntimeException thrown = assertThrows(RuntimeException.class, () -> s.capture(() -> {
                s.fill(x, 1);
                throw body;
            }));
            assertSame(body, thrown, "the body's exception is the one thrown");
            assertEquals(1, thrown.getSuppressed().length, "the failed end of the capture is noted on it");
            assertTrue(thrown.getSuppressed()[0].getMessage().contains("capture invalidated"));
            // the stream no longer captures: it works, and can capture again
            backend.failEndCapture = false;
            s.fill(x, 2);
            s.synchronize();
            s.capture(() -> s.fill(x, 3)).close();
        } finally {
            ctx.close();
        }
    }
}
