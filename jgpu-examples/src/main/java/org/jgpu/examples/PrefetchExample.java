package org.jgpu.examples;

import org.jgpu.BundledKernels;
import org.jgpu.Context;
import org.jgpu.DeviceBuffer;
import org.jgpu.Kernel;
import org.jgpu.LaunchConfig;
import org.jgpu.KernelModule;
import org.jgpu.ModuleSource;
import org.jgpu.Stream;
import org.jgpu.sim.Sleeper;
import org.jgpu.pipeline.DeviceLoader;
import java.util.Arrays;

/**
 * DataLoader-style prefetch: workers decode batches while the device computes, against the
 * same work done one step after the other.
 */
final class PrefetchExample {
    private static final int FLOATS = 1 << 16;

    private PrefetchExample() {
    }

    private static void decode(long index, float[] into, long loadNanos) {
        Sleeper.sleep(loadNanos);   // stands for reading and decoding a batch
        Arrays.fill(into, index);
    }

    static void run(Context ctx, Profile p, int batches, ProgressBar bar, Report r) {
        long load = (long) (p.loadMs() * 1e6);
        long compute = (long) (p.computeMs() * 1e6);
        KernelModule m = ctx.loadModule(ModuleSource.bundled());
        Kernel scale = m.kernel(BundledKernels.SCALE);
        Kernel spin = m.kernel(BundledKernels.SPIN);
        int n = batches;
        try (Stream s = ctx.createStream(); DeviceBuffer results = ctx.allocDevice(4L * n);
                DeviceBuffer plain = ctx.allocDevice(4L * FLOATS)) {
            // one step after the other: decode, copy (synchronous from the heap), compute
            float[] host = new float[FLOATS];
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                decode(i, host, load);
                s.copy(host, plain);
                s.launch(spin, LaunchConfig.forElements(1), compute);
                s.synchronize();
            }
            long serial = System.nanoTime() - t0;

            long t1 = System.nanoTime();
            try (DeviceLoader loader = DeviceLoader.builder(ctx).workers(2).prefetchDepth(2)
                    .dataset(n, 4L * FLOATS, (i, slot) -> {
                        float[] v = new float[FLOATS];
                        decode(i, v, load);
                        slot.write(0, v);
                    }).build()) {
                for (DeviceLoader.DeviceBatch b : loader) {
                    try (b) {
                        b.waitOn(s);
                        s.launch(scale, LaunchConfig.forElements(FLOATS), b.buffer(), 2f, FLOATS);
                        s.launch(spin, LaunchConfig.forElements(1), compute);
                        s.copy(b.buffer(), 0, results, 4 * b.index(), 4);
                    }
                    if (bar.enabled()) {
                        bar.update((b.index() + 1.0) / n, (b.index() + 1) + "/" + n + " batches");
                    }
                }
            }
            s.synchronize();
            long prefetched = System.nanoTime() - t1;
            bar.done();
            float[] got = new float[n];
            s.copy(results, got);
            for (int i = 0; i < n; i++) {
                if (got[i] != 2f * i) {
                    throw new IllegalStateException("batch " + i + ": got " + got[i] + ", expected " + 2f * i);
                }
            }
            double speedup = (double) serial / prefetched;
            r.line("%d batches, decode %.2f ms and compute %.2f ms each:", n, p.loadMs(), p.computeMs());
            r.line("  one step after the other  %8.1f ms  %7.1f batches/s", serial / 1e6, n * 1e9 / serial);
            r.line("  DeviceLoader (2 workers)   %8.1f ms  %7.1f batches/s  %.2fx; every batch checked", prefetched / 1e6,
                    n * 1e9 / prefetched, speedup);
            r.json.put("batches", n).put("serialMs", serial / 1e6).put("prefetchMs", prefetched / 1e6).put("speedup", speedup);
        }
    }
}
