package org.jgpu.pipeline;

import java.time.Duration;
import java.util.EnumSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jgpu.Arg;
import org.jgpu.Event;
import org.jgpu.HostAllocOption;
import org.jgpu.HostBuffer;
import org.jgpu.Kernel;
import org.jgpu.LaunchConfig;
import org.jgpu.Stream;

/**
 * A long-running kernel you can poll and cancel: it reports progress through mapped pinned
 * memory and stops at a flag the host sets (see the bundled {@code progress_loop}).
 *
 * <pre>{@code
 * Kernel loop = ctx.loadModule(ModuleSource.bundled()).kernel(BundledKernels.PROGRESS_LOOP);
 * try (AsyncJob job = AsyncJob.start(stream, loop, LaunchConfig.forElements(1), steps, steps, nsPerStep)) {
 *     while (job.isRunning()) {
 *         AsyncJob.Progress p = job.poll();        // never blocks
 *         showProgress(p.fraction(), p.stepsPerSecond());
 *         if (userPressedCancel()) job.cancel();  // cooperative: the kernel stops at its next step
 *     }
 * }
 * }</pre>
 *
 * <p>The kernel's first two parameters must be {@code unsigned long long* progress} (steps
 * done, which it keeps writing) and {@code const int* cancel} (non-zero: stop); the job passes
 * them, followed by the caller's arguments.
 */
public final class AsyncJob implements AutoCloseable {
    private final Stream stream;
    private final HostBuffer progress;
    private final HostBuffer cancel;
    private final Event done;
    private final long totalSteps;
    private final long startNanos;
    private volatile long endNanos;

    /**
     * What a job has done so far.
     *
     * @param steps steps done
     * @param totalSteps steps in all
     * @param elapsed time since the start
     * @param running whether the kernel still runs
     */
    public record Progress(long steps, long totalSteps, Duration elapsed, boolean running) {
        /** @return steps / totalSteps, in [0, 1] */
        public double fraction() {
            return totalSteps <= 0 ? 0 : Math.min(1.0, (double) steps / totalSteps);
        }

        /** @return steps per second so far */
        public double stepsPerSecond() {
            long nanos = elapsed.toNanos();
            return nanos <= 0 ? 0 : steps * 1e9 / nanos;
        }

        /** @return the time left at the current rate, or null before the first step */
        public Duration remaining() {
            double rate = stepsPerSecond();
            return rate <= 0 ? null : Duration.ofNanos((long) ((totalSteps - steps) / rate * 1e9));
        }
    }

    private AsyncJob(Stream stream, HostBuffer progress, HostBuffer cancel, Event done, long totalSteps, long startNanos) {
        this.stream = stream;
        this.progress = progress;
        this.cancel = cancel;
        this.done = done;
        this.totalSteps = totalSteps;
        this.startNanos = startNanos;
    }

    /**
     * Launches the kernel with a fresh progress counter and cancel flag.
     *
     * @param stream where it runs
     * @param kernel the job's kernel: {@code (progress, cancel, args...)}
     * @param config its launch configuration
     * @param totalSteps the steps the kernel will count to, for {@link Progress#fraction()}
     * @param args the kernel's other arguments
     * @return the running job
     * @throws IllegalArgumentException if totalSteps is below 1, or the arguments do not fit the kernel
     */
    public static AsyncJob start(Stream stream, Kernel kernel, LaunchConfig config, long totalSteps, Object... args) {
        if (totalSteps < 1) {
            throw new IllegalArgumentException("totalSteps must be at least 1, got " + totalSteps);
        }
        EnumSet<HostAllocOption> mapped = EnumSet.of(HostAllocOption.MAPPED);
        HostBuffer progress = stream.context().allocHost(8, mapped);
        HostBuffer cancel = stream.context().allocHost(4, mapped);
        try {
            Object[] all = new Object[args.length + 2];
            all[0] = Arg.out(progress);
            all[1] = Arg.in(cancel);
            System.arraycopy(args, 0, all, 2, args.length);
            long t0 = System.nanoTime();
            stream.launch(kernel, config, all);
            AsyncJob job = new AsyncJob(stream, progress, cancel, stream.record(), totalSteps, t0);
            return job;
        } catch (RuntimeException e) {
            progress.close();
            cancel.close();
            throw e;
        }
    }

    /** @return true until the kernel has finished (or stopped after a cancel) */
    public boolean isRunning() {
        if (endNanos != 0) {
            return false;
        }
        if (done.query()) {
            endNanos = System.nanoTime();
            return false;
        }
        return true;
    }

    /**
     * Reads the progress the kernel has written; never blocks.
     *
     * @return steps done, rate, elapsed time
     */
    public Progress poll() {
        boolean running = isRunning();
        long end = running ? System.nanoTime() : endNanos;
        return new Progress(progress.getLongVolatile(0), totalSteps, Duration.ofNanos(end - startNanos), running);
    }

    /** Asks the kernel to stop at its next step; returns at once. */
    public void cancel() {
        cancel.putIntVolatile(0, 1);
    }

    /**
     * Blocks until the kernel has finished.
     *
     * @return the final progress
     * @throws org.jgpu.AsyncOperationException if the kernel failed
     */
    public Progress await() {
        done.synchronize();
        isRunning();
        return poll();
    }

    /**
     * Blocks until the kernel has finished or {@code timeout} passed.
     *
     * @param timeout how long to wait
     * @return true if it finished
     * @throws org.jgpu.AsyncOperationException if the kernel failed
     */
    public boolean await(Duration timeout) {
        CompletableFuture<Void> f = done.onComplete();
        try {
            f.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            return !isRunning();
        } catch (TimeoutException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException ? (RuntimeException) e.getCause()
                    : new IllegalStateException(e.getCause());
        }
    }

    /** @return the async twin of {@link #await()}: completes when the kernel has finished */
    public CompletableFuture<Void> onComplete() {
        return done.onComplete();
    }

    /** Cancels the job if it still runs, waits for it, and frees its flags. */
    @Override
    public void close() {
        if (isRunning()) {
            cancel();
        }
        try {
            done.synchronize();
        } finally {
            progress.close();
            cancel.close();
        }
    }

    @Override
    public String toString() {
        return "async job on stream '" + stream.name() + "': " + poll();
    }
}
