package org.jgpu.sim.internal;

import org.jgpu.sim.EngineModel;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.EnumSet;
import java.util.concurrent.TimeUnit;
import org.jgpu.BundledKernels;
import org.jgpu.Context;
import org.jgpu.ContextOptions;
import org.jgpu.Event;
import org.jgpu.EventOption;
import org.jgpu.LaunchConfig;
import org.jgpu.KernelModule;
import org.jgpu.ModuleSource;
import org.jgpu.Stream;
import org.jgpu.pipeline.AsyncJob;
import org.jgpu.spi.Extensions;
import org.jgpu.trace.Engine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Self-timed kernels (an {@link AsyncJob}'s {@code progress_loop}) hold a compute lane until
 * they end: with one lane a second one waits and then starts, with two they run side by side,
 * and a job waiting for a lane can still be cancelled, its stream and context closed.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SelfTimedKernelConcurrencyTest {
    private static final long MS = 1_000_000;

    private static Context context(int concurrentKernels) {
        EngineModel model = EngineModel.builder().concurrentKernels(concurrentKernels).build();
        return Context.create(ContextOptions.builder().backend("host").configure(model).build());
    }

    private static AsyncJob job(Stream s, KernelModule m, long steps) {
        return AsyncJob.start(s, m.kernel(BundledKernels.PROGRESS_LOOP), LaunchConfig.forElements(1), steps, steps, MS);
    }

    @Test
    void withOneLaneTheSecondJobStartsWhenTheFirstEnds() {
        try (Context ctx = context(1); Stream s1 = ctx.createStream(); Stream s2 = ctx.createStream()) {
            KernelModule m = ctx.loadModule(ModuleSource.bundled());
            long t0 = System.nanoTime();
            try (AsyncJob first = job(s1, m, 30); AsyncJob second = job(s2, m, 30)) {
                assertTrue(first.await(Duration.ofSeconds(10)), "first job: " + first);
                assertTrue(second.await(Duration.ofSeconds(10)), "second job never started: " + second);
                assertEquals(30, first.poll().steps());
                assertEquals(30, second.poll().steps());
            }
            long wall = System.nanoTime() - t0;
            assertTrue(wall >= 60 * MS, "one lane runs the jobs one after the other: " + wall / 1e6 + " ms");
            SimDevice dev = ((SimStream) Extensions.nativeStream(ctx.defaultStream())).device();
            assertTrue(dev.engineBusyNanos(Engine.COMPUTE) >= 60 * MS, "both jobs held the lane: " + dev.engineBusyNanos(Engine.COMPUTE));
        }
    }

    @Test
    void withTwoLanesTheSecondJobRunsBesideTheFirst() {
        try (Context ctx = context(2); Stream s1 = ctx.createStream(); Stream s2 = ctx.createStream()) {
            KernelModule m = ctx.loadModule(ModuleSource.bundled());
            try (AsyncJob longJob = job(s1, m, 100_000); AsyncJob shortJob = job(s2, m, 20)) {
                assertTrue(shortJob.await(Duration.ofSeconds(10)), "second lane unused: " + shortJob);
                assertTrue(longJob.isRunning(), "the 100 s job is still running: " + longJob);
                longJob.cancel();
                assertTrue(longJob.await(Duration.ofSeconds(10)), "cancelled job did not end: " + longJob);
            }
        }
    }

    @Test
    void jobsWaitingForTheOneLaneCanBeCancelledAndTheirStreamsAndContextClosed() {
        Context ctx = context(1);
        KernelModule m = ctx.loadModule(ModuleSource.bundled());
        Stream s1 = ctx.createStream();
        Stream s2 = ctx.createStream();
        Stream s3 = ctx.createStream();
        AsyncJob running = job(s1, m, 100_000);
        AsyncJob waiting = job(s2, m, 100_000);
        AsyncJob alsoWaiting = job(s3, m, 100_000);
        waiting.cancel();
        alsoWaiting.cancel();
        running.cancel();
        for (AsyncJob j : new AsyncJob[] {running, waiting, alsoWaiting}) {
            assertTrue(j.await(Duration.ofSeconds(10)), "cancelled job did not end: " + j);
            assertTrue(j.poll().steps() < 100_000, j.toString());
        }
        waiting.close();
        s2.close();
        ctx.close();
    }

    @Test
    void closingAJobThatWaitsForTheLaneEndsItOnceTheLaneIsFree() {
        try (Context ctx = context(1); Stream s1 = ctx.createStream(); Stream s2 = ctx.createStream()) {
            KernelModule m = ctx.loadModule(ModuleSource.bundled());
            AsyncJob running = job(s1, m, 50);
            AsyncJob waiting = job(s2, m, 100_000);
            long t0 = System.nanoTime();
            waiting.close();   // cancels, then waits until the first job frees the lane
            assertTrue(System.nanoTime() - t0 < 5_000 * MS, "close waited for the 100 s job instead of cancelling it");
            assertTrue(running.await(Duration.ofSeconds(10)));
            running.close();
        }
    }

    @Test
    void aKernelBehindASelfTimedKernelStartsWhenItEndsInModelledTime() {
        try (Context ctx = context(1); Stream s1 = ctx.createStream(); Stream s2 = ctx.createStream()) {
            KernelModule m = ctx.loadModule(ModuleSource.bundled());
            EnumSet<EventOption> timing = EnumSet.of(EventOption.TIMING);
            Event jobDone = ctx.createEvent(timing);
            Event spinDone = ctx.createEvent(timing);
            try (AsyncJob job = job(s1, m, 20)) {
                s1.record(jobDone);
                while (job.poll().steps() == 0) {
                    Thread.onSpinWait();   // the job holds the lane before the kernel asks for it
                }
                s2.launch(m.kernel(BundledKernels.SPIN), LaunchConfig.forElements(1), 5 * MS);
                s2.record(spinDone);
                s2.synchronize();
                assertTrue(job.await(Duration.ofSeconds(10)));
            }
            long after = spinDone.elapsedSince(jobDone).toNanos();
            assertTrue(after >= 5 * MS, "the 5 ms kernel ended " + after / 1e6 + " ms after the job that held its lane");
        }
    }
}
