package org.jgpu.examples;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;
import org.jgpu.BundledKernels;
import org.jgpu.Context;
import org.jgpu.Kernel;
import org.jgpu.LaunchConfig;
import org.jgpu.ModuleSource;
import org.jgpu.pipeline.BufferedPipeline;

/**
 * A workload of real work: the CPU fills a batch of floats, the device uploads it, runs
 * {@code fma_loop} over it (the arithmetic-intensity knob), copies it to the output and
 * downloads it, and the CPU checks it against Java's own {@code Math.fma}.
 */
final class RealWorkload implements Workload {
    private final int floats;
    private final int iters;
    private final Kernel fma;

    RealWorkload(Context ctx, double megabytes, int iters) {
        this.floats = Math.max(1, (int) (megabytes * (1 << 20) / 4));
        this.iters = iters;
        this.fma = ctx.loadModule(ModuleSource.bundled()).kernel(BundledKernels.FMA_LOOP);
    }

    static float input(long batch, int i) {
        return (float) ((batch * 131 + i) % 1000) / 1000f;
    }

    private float expected(long batch, int i) {
        float v = input(batch, i);
        for (int k = 0; k < iters; k++) {
            v = Math.fma(v, 0.999f, 0.001f);
        }
        return v;
    }

    @Override
    public BufferedPipeline.Builder apply(BufferedPipeline.Builder builder) {
        long bytes = 4L * floats;
        return builder.inputBytes(bytes).outputBytes(bytes)
                .prepare((batch, in) -> {
                    float[] v = new float[floats];
                    for (int i = 0; i < floats; i++) {
                        v[i] = input(batch, i);
                    }
                    in.write(0, v);
                    return true;
                })
                .compute((stream, in, out, batch) -> {
                    stream.launch(fma, LaunchConfig.forElements(floats), in, floats, iters);
                    stream.copy(in, out);
                })
                .consume((batch, out) -> {
                    for (int i : new int[] {0, floats / 2, floats - 1}) {
                        float got = out.getFloat(i);
                        if (got != expected(batch, i)) {
                            throw new IllegalStateException("batch " + batch + " element " + i + ": " + got + " vs "
                                    + expected(batch, i));
                        }
                    }
                });
    }

    @Override
    public String describe() {
        return String.format(Locale.ROOT, "real: %d floats (%.2f MiB) per batch, fma_loop with %d iterations", floats,
                floats * 4.0 / (1 << 20), iters);
    }

    @Override
    public ObjectNode json() {
        return JsonOutput.object().put("name", "real").put("floats", floats).put("iterations", iters);
    }
}
