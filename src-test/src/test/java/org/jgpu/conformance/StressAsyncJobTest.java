package org.jgpu.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.jgpu.BundledKernels;
import org.jgpu.Context;
import org.jgpu.ContextOptions;
import org.jgpu.Kernel;
import org.jgpu.LaunchConfig;
import org.jgpu.ModuleSource;
import org.jgpu.Stream;
import org.jgpu.sim.EngineModel;
import org.jgpu.pipeline.AsyncJob;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/** Two long-running jobs on two streams: both finish, and both can be cancelled, whatever the device runs at once. */
@Tag(Stress.TAG)
@Timeout(value = 2, unit = TimeUnit.HOURS)   // a backstop only: each test bounds itself (Stress.bounded)
class StressAsyncJobTest {
    /** How long a test waits for a job it expects to end: far more than any job here takes. */
    private static final Duration PATIENCE = Duration.ofSeconds(10);

    /**
     * The devices to run on: on the host backend one that runs eight kernels at once and one that
     * runs a kernel at a time (the second job must then wait for the first, as on a GPU whose
     * first kernel fills it); a real device as it is.
     */
    private static List<ContextOptions> devices(String backend) {
        ContextOptions.Builder b = Backend.options(backend);
        if (!backend.equals("host")) {
            return List.of(b.build());
        }
        return List.of(b.configure(EngineModel.builder().concurrentKernels(8).build()).build(),
                b.configure(EngineModel.builder().concurrentKernels(1).build()).build());
    }

    private static String describe(ContextOptions o) {
        return o.settingsFor("host") == null ? o.backend() : o.backend() + " with " + ((EngineModel) o.settingsFor("host")).concurrentKernels() + " concurrent kernel(s)";
    }

    @ParameterizedTest
    @FieldSource("org.jgpu.conformance.Backend#ALL")
    void twoJobsOnTwoStreamsBothRunToTheirEnd(String backend) {
        int reps = Stress.scaled(20);
        List<ContextOptions> devices = devices(backend);
        Stress.bounded("two AsyncJobs to their end (" + backend + ")", Stress.limit(40, 10), () -> {
            for (ContextOptions device : devices) {
                // not try-with-resources: a job that never ends cannot be closed (closing waits for it),
                // so a failure leaves the jobs and their context open and is reported, not hung in close
                Context ctx = Context.create(device);
                Kernel loop = ctx.loadModule(ModuleSource.bundled()).kernel(BundledKernels.PROGRESS_LOOP);
                Stream s1 = ctx.createStream();
                Stream s2 = ctx.createStream();
                long steps = 20;
                for (int rep = 0; rep < reps; rep++) {
                    Stress.checkpoint();
                    AsyncJob first = AsyncJob.start(s1, loop, LaunchConfig.forElements(1), steps, steps, 100_000L);
                    AsyncJob second = AsyncJob.start(s2, loop, LaunchConfig.forElements(1), steps, steps, 100_000L);
                    String where = describe(device) + ", rep " + rep;
                    assertTrue(first.await(PATIENCE), "the first job did not finish on " + where + ": " + first);
                    assertTrue(second.await(PATIENCE), "the second job, on another stream, did not finish within "
                            + PATIENCE.toSeconds() + " s on " + where + ": " + second);
                    assertEquals(steps, first.poll().steps(), where);
                    assertEquals(steps, second.poll().steps(), where);
                    assertFalse(first.isRunning() || second.isRunning(), where);
                    first.close();
                    second.close();
                }
                ctx.synchronize();
                ctx.close();
                Stress.report("async jobs %s: %d pairs of jobs ran to their end", describe(device), reps);
            }
        });
    }

    @ParameterizedTest
    @FieldSource("org.jgpu.conformance.Backend#ALL")
    void twoJobsOnTwoStreamsStopWhenCancelled(String backend) {
        int reps = Stress.scaled(20);
        List<ContextOptions> devices = devices(backend);
        Stress.bounded("two AsyncJobs cancelled (" + backend + ")", Stress.limit(40, 10), () -> {
            Random random = new Random(7);
            for (ContextOptions device : devices) {
                // not try-with-resources: a job that never ends cannot be closed (see above)
                Context ctx = Context.create(device);
                Kernel loop = ctx.loadModule(ModuleSource.bundled()).kernel(BundledKernels.PROGRESS_LOOP);
                Stream s1 = ctx.createStream();
                Stream s2 = ctx.createStream();
                long steps = 1_000_000;   // 1000 s at 1 ms a step: only a cancel ends them here
                for (int rep = 0; rep < reps; rep++) {
                    Stress.checkpoint();
                    String where = describe(device) + ", rep " + rep;
                    AsyncJob first = AsyncJob.start(s1, loop, LaunchConfig.forElements(1), steps, steps, 1_000_000L);
                    AsyncJob second = AsyncJob.start(s2, loop, LaunchConfig.forElements(1), steps, steps, 1_000_000L);
                    Thread.sleep(random.nextInt(5));
                    AsyncJob one = random.nextBoolean() ? first : second;
                    AsyncJob other = one == first ? second : first;
                    one.cancel();
                    if (random.nextBoolean()) {
                        Thread.sleep(random.nextInt(3));
                    }
                    other.cancel();
                    assertTrue(first.await(PATIENCE), "the first job did not stop after a cancel on " + where + ": " + first);
                    assertTrue(second.await(PATIENCE), "the second job, on another stream, did not stop within "
                            + PATIENCE.toSeconds() + " s of a cancel on " + where + ": " + second);
                    for (AsyncJob j : List.of(first, second)) {
                        AsyncJob.Progress p = j.poll();
                        assertFalse(p.running(), where + ": " + p);
                        assertTrue(p.steps() >= 0 && p.steps() < steps, where + ": " + p);
                        assertEquals(p.steps(), j.poll().steps(), "a stopped job's progress moved: " + where);
                    }
                    first.close();
                    second.close();
                }
                ctx.synchronize();
                ctx.close();
                Stress.report("async jobs %s: %d pairs of jobs cancelled at random times", describe(device), reps);
            }
        });
    }
}
