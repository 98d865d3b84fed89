package org.jgpu.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.jgpu.BundledKernels;
import org.jgpu.Context;
import org.jgpu.ContextOptions;
import org.jgpu.Kernel;
import org.jgpu.LaunchConfig;
import org.jgpu.ModuleSource;
import org.jgpu.Stream;
import org.junit.jupiter.api.Test;

class AsyncJobTest {

    @Test
    void aJobReportsProgressWithoutBlockingAndStopsWhenCancelled() throws Exception {
        try (Context ctx = Context.create(ContextOptions.builder().backend("host").build())) {
            Kernel loop = ctx.loadModule(ModuleSource.bundled()).kernel(BundledKernels.PROGRESS_LOOP);
            Stream s = ctx.createStream();
            long steps = 5_000;
            try (AsyncJob job = AsyncJob.start(s, loop, LaunchConfig.forElements(1), steps, steps, 1_000_000L)) {
                assertTrue(job.isRunning());
                assertFalse(job.await(Duration.ofMillis(30)), "5 s of work is not done in 30 ms");
                AsyncJob.Progress p;
                long deadline = System.nanoTime() + 5_000_000_000L;
                do {
                    Thread.sleep(5);
                    p = job.poll();
                } while (p.steps() < 10 && System.nanoTime() < deadline);
                assertTrue(p.steps() >= 10 && p.running(), p.toString());
                assertTrue(p.fraction() > 0 && p.fraction() < 1 && p.stepsPerSecond() > 0 && p.remaining() != null, p.toString());
                long t0 = System.nanoTime();
                job.cancel();
                AsyncJob.Progress last = job.await();
                assertTrue((System.nanoTime() - t0) < 2_000_000_000L, "cancel took too long");
                assertFalse(last.running());
                assertTrue(last.steps() < steps && last.steps() >= p.steps(), last.toString());
                assertFalse(job.isRunning());
            }
            s.synchronize();
        }
    }

    @Test
    void aJobRunsToTheEndAndClosingARunningJobCancelsIt() {
        try (Context ctx = Context.create(ContextOptions.builder().backend("host").build())) {
            Kernel loop = ctx.loadModule(ModuleSource.bundled()).kernel(BundledKernels.PROGRESS_LOOP);
            Stream s = ctx.createStream();
            try (AsyncJob job = AsyncJob.start(s, loop, LaunchConfig.forElements(1), 20, 20L, 100_000L)) {
                assertEquals(20, job.await().steps());
                assertEquals(1.0, job.poll().fraction());
            }
            AsyncJob running = AsyncJob.start(s, loop, LaunchConfig.forElements(1), 100_000, 100_000L, 1_000_000L);
            long t0 = System.nanoTime();
            running.close();
            assertTrue(System.nanoTime() - t0 < 2_000_000_000L, "close cancels instead of waiting 100 s");
            assertThrows(IllegalArgumentException.class,
                    () -> AsyncJob.start(s, loop, LaunchConfig.forElements(1), 0, 1L, 1L));
        }
    }
}
