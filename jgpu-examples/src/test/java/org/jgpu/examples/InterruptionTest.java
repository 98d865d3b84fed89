package org.jgpu.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class InterruptionTest {
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final PrintStream stream = new PrintStream(err, true, StandardCharsets.UTF_8);

    @Test
    void ctrlCStopsTheWorkAndWaitsForTheReport() throws Exception {
        Interruption i = Interruption.none();
        AtomicInteger stops = new AtomicInteger();
        try (Interruption.Registration r = i.whileRunning(stops::incrementAndGet)) {
            Thread command = new Thread(() -> {
                while (!i.requested()) {
                    Thread.onSpinWait();
                }
                i.finished();   // the command reported
            });
            command.start();
            long t0 = System.nanoTime();
            i.interrupt(stream, Duration.ofSeconds(10));
            assertTrue(System.nanoTime() - t0 < 5_000_000_000L, "the hook returned once the command finished");
            command.join();
        }
        assertEquals(1, stops.get());
        assertEquals("", err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aCommandThatDoesNotReportInTimeIsSaidToHaveStopped() {
        Interruption i = Interruption.none();
        i.interrupt(stream, Duration.ofMillis(10));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("interrupted: stopped before the command could report"));
        AtomicInteger late = new AtomicInteger();
        i.whileRunning(late::incrementAndGet).close();
        assertEquals(1, late.get(), "a stopper registered after Ctrl-C runs at once");
    }

    @Test
    void aNormalExitRunsNoStopper() {
        Interruption i = Interruption.none();
        AtomicInteger stops = new AtomicInteger();
        i.whileRunning(stops::incrementAndGet);
        i.finished();
        i.interrupt(stream, Duration.ofSeconds(10));
        assertEquals(0, stops.get());
    }
}
