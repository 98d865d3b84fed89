package org.jgpu.examples.jmh;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import org.jgpu.HazardMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What the enqueue path allocates per call, read from the thread's allocation counter: the
 * bounds of docs/performance.md hold in every hazard mode. The counter counts every byte the
 * code asks for (the JIT can only remove allocations, never add them), so the bounds hold from
 * the first call; the average over many calls hides the counter's own granularity.
 */
class EnqueueAllocationTest {
    private static final int CALLS = 20_000;
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    /** @return bytes allocated per call of {@code op}, averaged over {@link #CALLS} calls after as many to warm up */
    private static double bytesPerCall(Runnable op) {
        for (int i = 0; i < CALLS; i++) {
            op.run();
        }
        long thread = Thread.currentThread().getId();
        long before = THREADS.getThreadAllocatedBytes(thread);
        for (int i = 0; i < CALLS; i++) {
            op.run();
        }
        return (double) (THREADS.getThreadAllocatedBytes(thread) - before) / CALLS;
    }

    /** Half a byte per call of slack: the counter may catch a one-off (a map resizing, a class loaded). */
    private static void assertAtMost(double bound, double measured, String what) {
        assertTrue(measured <= bound + 0.5, what + " allocates " + measured + " B per call, more than " + bound + " B");
    }

    @ParameterizedTest
    @EnumSource(HazardMode.class)
    void aLaunchAndACopyAllocateAtMost64BytesAndRecordWaitAndQueryNothing(HazardMode mode) {
        OpsBench b = new OpsBench();
        b.mode = mode;
        b.setUp();
        try {
            // the launch allocates its operation and its array of touches; the copy its operation
            assertAtMost(64, bytesPerCall(b::launch), "launch");
            assertAtMost(64, bytesPerCall(b::launchArgs), "launch with kernel.args()");
            assertAtMost(64, bytesPerCall(b::copyH2D), "copy");
            assertAtMost(48, bytesPerCall(b::recordNew), "record()");
            assertAtMost(0, bytesPerCall(b::recordExisting), "record(event)");
            assertAtMost(0, bytesPerCall(b::waitFor), "waitFor");
            assertAtMost(0, bytesPerCall(b::query), "query");
        } finally {
            b.tearDown();
        }
    }
}
