package org.jgpu.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Reading an elapsed time while other threads record the events again (no driver needed). */
class CudaEventTest {

    @Test
    void anEventRecordedAgainMeanwhileIsWaitedForAndReadAgain() {
        AtomicInteger reads = new AtomicInteger();
        AtomicInteger waits = new AtomicInteger();
        long ns = CudaEvent.elapsedNanos(() -> reads.incrementAndGet() < 3 ? Double.NaN : 1.5, waits::incrementAndGet);
        assertEquals(1_500_000L, ns);
        assertEquals(3, reads.get());
        assertEquals(2, waits.get(), "both events waited for before each new read");
    }

    @Test
    void eventsThatKeepBeingRecordedAgainFailNamingWhyAfterBoundedReads() {
        AtomicInteger reads = new AtomicInteger();
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> CudaEvent.elapsedNanos(() -> {
                    reads.incrementAndGet();
                    return Double.NaN;
                }, () -> { }));
        assertEquals(8, reads.get());
        assertTrue(e.getMessage().contains("recorded again by other threads"), e.getMessage());
    }
}
