package org.jgpu.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.jgpu.BundledKernels;
import org.jgpu.Context;
import org.jgpu.ContextOptions;
import org.jgpu.Kernel;
import org.jgpu.LaunchConfig;
import org.jgpu.ModuleSource;
import org.jgpu.sim.EngineModel;
import org.jgpu.pipeline.AsyncJob;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Long kernels on several streams of one context (AsyncJobs): each ends, by itself or when
 * cancelled, whether the device runs them side by side or one after the other. The host
 * backend runs both ways: with the suite's eight concurrent kernels and with one.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ConcurrentJobsConformanceTest {
    private static final long MS = 1_000_000;
    private static final int JOBS = 3;

    static Stream<Arguments> devices() {
        return Stream.of(Arguments.of("host", 0), Arguments.of("host", 1), Arguments.of("cuda", 0));
    }

    /** @param concurrentKernels for the host backend, the model's concurrent kernels; 0: the suite's model */
    private static Context open(String backend, int concurrentKernels) {
        ContextOptions.Builder b = Backend.options(backend);
        if (concurrentKernels > 0) {
            b.configure(EngineModel.builder().concurrentKernels(concurrentKernels).build());
        }
        return Context.create(b.build());
    }

    private static AsyncJob[] start(Context ctx, org.jgpu.Stream[] streams, long steps) {
        Kernel loop = ctx.loadModule(ModuleSource.bundled()).kernel(BundledKernels.PROGRESS_LOOP);
        AsyncJob[] jobs = new AsyncJob[streams.length];
        for (int i = 0; i < jobs.length; i++) {
            jobs[i] = AsyncJob.start(streams[i], loop, LaunchConfig.forElements(1), steps, steps, MS);
        }
        return jobs;
    }

    private static org.jgpu.Stream[] streams(Context ctx) {
        org.jgpu.Stream[] s = new org.jgpu.Stream[JOBS];
        for (int i = 0; i < s.length; i++) {
            s[i] = ctx.createStream();
        }
        return s;
    }

    private static void awaitAnyStep(AsyncJob[] jobs) {
        long deadline = System.nanoTime() + 20_000 * MS;
        while (System.nanoTime() < deadline) {
            for (AsyncJob j : jobs) {
                if (j.poll().steps() > 0) {
                    return;
                }
            }
            Thread.onSpinWait();
        }
        throw new AssertionError("no job made a step in 20 s");
    }

    @ParameterizedTest(name = "{0}, concurrent kernels {1}")
    @MethodSource("devices")
    void jobsOnSeveralStreamsAllRunToTheEnd(String backend, int concurrentKernels) {
        try (Context ctx = open(backend, concurrentKernels)) {
            org.jgpu.Stream[] streams = streams(ctx);
            AsyncJob[] jobs = start(ctx, streams, 20);
            for (AsyncJob j : jobs) {
                assertTrue(j.await(Duration.ofSeconds(10)), "job did not end: " + j);
                assertEquals(20, j.poll().steps(), j.toString());
                j.close();
            }
            for (org.jgpu.Stream s : streams) {
                s.close();
            }
        }
    }

    @ParameterizedTest(name = "{0}, concurrent kernels {1}")
    @MethodSource("devices")
    void jobsOnSeveralStreamsAllEndWhenCancelled(String backend, int concurrentKernels) {
        try (Context ctx = open(backend, concurrentKernels)) {
            org.jgpu.Stream[] streams = streams(ctx);
            AsyncJob[] jobs = start(ctx, streams, 1_000_000);   // 1000 s each unless cancelled
            awaitAnyStep(jobs);   // one runs: on a device with room for one, the others wait for it
            for (int i = jobs.length - 1; i >= 0; i--) {
                jobs[i].cancel();
            }
            for (AsyncJob j : jobs) {
                assertTrue(j.await(Duration.ofSeconds(10)), "cancelled job did not end: " + j);
                assertTrue(j.poll().steps() < 1_000_000, j.toString());
            }
        }
    }
}
