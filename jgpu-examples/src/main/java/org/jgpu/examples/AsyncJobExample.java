package org.jgpu.examples;

import java.time.Duration;
import org.jgpu.BundledKernels;
import org.jgpu.Context;
import org.jgpu.Kernel;
import org.jgpu.LaunchConfig;
import org.jgpu.ModuleSource;
import org.jgpu.Stream;
import org.jgpu.pipeline.AsyncJob;

/**
 * A long kernel with a progress bar, cancelled by Ctrl-C (or after {@code --cancel-after} ms):
 * progress comes from mapped memory the kernel writes, the cancel flag goes the other way.
 */
final class AsyncJobExample {
    private AsyncJobExample() {
    }

    static void run(Context ctx, Main.Options o, Report r) {
        Kernel loop = ctx.loadModule(ModuleSource.bundled()).kernel(BundledKernels.PROGRESS_LOOP);
        long steps = o.steps;
        long nsPerStep = (long) (o.stepMs * 1e6);
        ProgressBar bar = new ProgressBar(System.err, "job");
        try (Stream s = ctx.createStream();
                AsyncJob job = AsyncJob.start(s, loop, LaunchConfig.forElements(1), steps, steps, nsPerStep)) {
            Thread onCtrlC = new Thread(job::cancel, "jgpu-async-job-cancel");
            Runtime.getRuntime().addShutdownHook(onCtrlC);
            try {
                long cancelAt = o.cancelAfterMs < 0 ? Long.MAX_VALUE : System.nanoTime() + o.cancelAfterMs * 1_000_000L;
                boolean cancelled = false;
                while (!job.await(Duration.ofMillis(20))) {
                    AsyncJob.Progress p = job.poll();
                    bar.update(p.fraction(), String.format("%d/%d steps, %.0f steps/s", p.steps(), p.totalSteps(),
                            p.stepsPerSecond()));
                    if (!cancelled && System.nanoTime() >= cancelAt) {
                        job.cancel();
                        cancelled = true;
                    }
                }
                AsyncJob.Progress end = job.await();
                bar.done();
                r.line("job %s after %d of %d steps in %.1f ms (%.0f steps/s)", end.steps() < steps ? "cancelled" : "finished",
                        end.steps(), steps, end.elapsed().toNanos() / 1e6, end.stepsPerSecond());
                r.json.put("steps", end.steps()).put("totalSteps", steps).put("cancelled", end.steps() < steps)
                        .put("elapsedMs", end.elapsed().toNanos() / 1e6);
            } finally {
                try {
                    Runtime.getRuntime().removeShutdownHook(onCtrlC);
                } catch (IllegalStateException exiting) {
                    // the JVM is already shutting down: the hook runs
                }
            }
        }
    }
}
