package org.jgpu.examples;

import org.jgpu.BundledKernels;
import org.jgpu.Context;
import org.jgpu.Kernel;
import org.jgpu.LaunchConfig;
import org.jgpu.ModuleSource;
import org.jgpu.Stream;

/** A long kernel runs while the host keeps working, polling {@code stream.query()} between chunks of work. */
final class StreamQueryExample {
    private StreamQueryExample() {
    }

    static void run(Context ctx, double kernelMs, Report r) {
        Kernel spin = ctx.loadModule(ModuleSource.bundled()).kernel(BundledKernels.SPIN);
        long kernelNanos = (long) (kernelMs * 1e6);
        try (Stream s = ctx.createStream()) {
            long t0 = System.nanoTime();
            s.launch(spin, LaunchConfig.forElements(1), kernelNanos);
            long polls = 0;
            long work = 0;
            double sink = 0;
            while (!s.query()) {
                polls++;
                for (int i = 0; i < 10_000; i++) {     // a chunk of the application's own work
                    sink += Math.sqrt(i + polls);
                }
                work++;
            }
            long wall = System.nanoTime() - t0;
            if (polls < 2 || sink <= 0) {
                throw new IllegalStateException("the kernel finished before the host could poll it: " + polls + " polls");
            }
            r.line("a %.0f ms kernel ran while the host did %d chunks of its own work, polling stream.query() %d times;",
                    kernelNanos / 1e6, work, polls);
            r.line("the stream was seen idle after %.1f ms; no call blocked", wall / 1e6);
            r.json.put("kernelMs", kernelNanos / 1e6).put("polls", polls).put("hostWorkChunks", work).put("wallMs", wall / 1e6);
        }
    }
}
