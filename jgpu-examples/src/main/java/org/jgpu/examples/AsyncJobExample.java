package org.jgpu.examples;

import java.time.Duration;
import java.util.Locale;
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

    /**
     * What to run.
     *
     * @param steps the kernel's steps
     * @param stepMs the time of a step, in ms
     * @param cancelAfter when to cancel, or null to let it finish
     */
    record Settings(long steps, double stepMs, Duration cancelAfter) {
    }

    static void run(Context ctx, Settings o, ProgressBar bar, Interruption interruption, Report r) {
        Kernel loop = ctx.loadModule(ModuleSource.bundled()).kernel(BundledKernels.PROGRESS_LOOP);
        long steps = o.steps();
        long nsPerStep = (long) (o.stepMs() * 1e6);
        try (Stream s = ctx.createStream();
                AsyncJob job = AsyncJob.start(s, loop, LaunchConfig.forElements(1), steps, steps, nsPerStep)) {
            long cancelAt = o.cancelAfter() == null ? Long.MAX_VALUE : System.nanoTime() + o.cancelAfter().toNanos();
            boolean cancelled = false;
            // Ctrl-C cancels the kernel; the loop below then ends and reports, while the hook waits for it
            try (Interruption.Registration onCtrlC = interruption.whileRunning(job::cancel)) {
                while (!job.await(Duration.ofMillis(20))) {
                    AsyncJob.Progress p = job.poll();
                    if (bar.enabled()) {
                        bar.update(p.fraction(), String.format(Locale.ROOT, "%d/%d steps, %.0f steps/s", p.steps(),
                                p.totalSteps(), p.stepsPerSecond()), p.remaining());
                    }
                    if (!cancelled && System.nanoTime() >= cancelAt) {
                        job.cancel();
                        cancelled = true;
                    }
                }
            }
            AsyncJob.Progress end = job.await();
            bar.done();
            r.line("job %s after %d of %d steps in %.1f ms (%.0f steps/s)", end.steps() < steps ? "cancelled" : "finished",
                    end.steps(), steps, end.elapsed().toNanos() / 1e6, end.stepsPerSecond());
            r.json.put("steps", end.steps()).put("totalSteps", steps).put("cancelled", end.steps() < steps)
                    .put("elapsedMs", end.elapsed().toNanos() / 1e6);
        }
    }
}
