package org.jgpu.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jgpu.ContextOptions;
import org.jgpu.DeviceBuffer;
import org.jgpu.HazardException;
import org.jgpu.HazardMode;
import org.jgpu.Stream;
import org.jgpu.StreamOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A copy, fill or launch is checked and recorded under the context's lock and handed to the
 * backend after it, in its stream's order: a backend call that takes long (a launch into a full
 * queue) holds up neither other streams nor the hazard checks, and a later operation on its own
 * stream waits its turn.
 */
class IssueOrderTest {
    private static final Duration BOUND = Duration.ofSeconds(20);

    private LostCallbackBackend backend;
    private CoreContext ctx;
    private final CountDownLatch release = new CountDownLatch(1);

    @BeforeEach
    void open() {
        ContextOptions options = ContextOptions.builder().backend("host").hazardMode(HazardMode.CHECK).build();
        backend = new LostCallbackBackend(options);
        ctx = new CoreContext(backend, options, false, null);
        backend.holdNextFill = release;
    }

    @AfterEach
    void close() {
        release.countDown();
        ctx.close();
    }

    /** Starts {@code s.fill(x)} on another thread and returns once its backend call is held. */
    private CompletableFuture<Void> heldFill(Stream s, DeviceBuffer x) throws InterruptedException {
        CompletableFuture<Void> held = CompletableFuture.runAsync(() -> s.fill(x, 1));
        assertTrue(backend.fillEntered.await(BOUND.toSeconds(), TimeUnit.SECONDS), "the fill never reached the backend");
        return held;
    }

    @Test
    void aBackendCallThatTakesLongHoldsUpNeitherOtherStreamsNorTheHazardChecks() throws Exception {
        Stream a = ctx.createStream(StreamOptions.builder().name("a").build());
        Stream b = ctx.createStream(StreamOptions.builder().name("b").build());
        DeviceBuffer x = ctx.allocDevice(64, "x");
        DeviceBuffer y = ctx.allocDevice(64, "y");
        CompletableFuture<Void> held = heldFill(a, x);
        assertTimeoutPreemptively(BOUND, () -> {
            b.fill(y, 2);
            b.record();
            // recorded before its backend call began: the race with it is found at once
            HazardException e = assertThrows(HazardException.class, () -> b.copy(x, y));
            assertTrue(e.getMessage().contains("'x'"), e.getMessage());
        }, "stream b waited for stream a's backend call");
        assertFalse(held.isDone(), "the held fill returned before its backend call ended");
        release.countDown();
        held.get(BOUND.toSeconds(), TimeUnit.SECONDS);
        a.synchronize();
        b.copy(x, y);   // ordered now: the host saw a's fill complete
    }

    @Test
    void aLaterOperationOnTheSameStreamReachesTheBackendAfterTheHeldOne() throws Exception {
        Stream a = ctx.createStream(StreamOptions.builder().name("a").build());
        DeviceBuffer x = ctx.allocDevice(64, "x");
        DeviceBuffer z = ctx.allocDevice(64, "z");
        CompletableFuture<Void> held = heldFill(a, x);
        CompletableFuture<Void> next = CompletableFuture.runAsync(() -> a.fill(z, 3));
        Thread.sleep(100);
        assertFalse(next.isDone(), "the later fill was handed over before the earlier one's call ended");
        release.countDown();
        held.get(BOUND.toSeconds(), TimeUnit.SECONDS);
        next.get(BOUND.toSeconds(), TimeUnit.SECONDS);
        a.synchronize();
        List<String> fills = List.copyOf(backend.fills);
        assertEquals(2, fills.size(), fills.toString());
        assertTrue(fills.get(0).contains("'x'") && fills.get(1).contains("'z'"), "in the tracker's order: " + fills);
    }
}
