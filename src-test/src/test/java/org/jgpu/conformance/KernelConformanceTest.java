package org.jgpu.conformance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Random;
import java.util.function.Function;
import org.jgpu.BundledKernels;
import org.jgpu.Context;
import org.jgpu.DeviceBuffer;
import org.jgpu.HazardMode;
import org.jgpu.HostAllocOption;
import org.jgpu.HostBuffer;
import org.jgpu.Kernel;
import org.jgpu.LaunchConfig;
import org.jgpu.KernelModule;
import org.jgpu.ModuleSource;
import org.jgpu.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * Every bundled kernel gives the same results on every backend: the PTX on a GPU, the Java twin
 * on the host backend, both checked against a plain Java reference on the same random inputs.
 */
class KernelConformanceTest {
    private static final Random RANDOM = new Random(42);

    private static float[] random(int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = RANDOM.nextFloat() * 4 - 2;
        }
        return v;
    }

    /** Runs the l2 + top-k search of nq queries over nb base vectors; returns {distances, indexes}. */
    private static Object[] search(Context ctx, float[] q, float[] b, int nq, int nb, int dim, int k) {
        KernelModule m = ctx.loadModule(ModuleSource.bundled());
        Stream s = ctx.createStream();
        try (DeviceBuffer dq = ctx.allocDevice(4L * q.length); DeviceBuffer db = ctx.allocDevice(4L * b.length);
                DeviceBuffer dist = ctx.allocDevice(4L * nq * nb); DeviceBuffer idx = ctx.allocDevice(4L * nq * k);
                DeviceBuffer best = ctx.allocDevice(4L * nq * k)) {
            s.copy(q, dq);
            s.copy(b, db);
            s.launch(m.kernel(BundledKernels.L2_DISTANCES), LaunchConfig.forElements((long) nq * nb), dq, db, dist, nq, nb, dim);
            s.launch(m.kernel(BundledKernels.TOPK_SMALLEST), LaunchConfig.forElements(nq), dist, idx, best, nq, nb, k);
            float[] d = new float[nq * nb];
            int[] i = new int[nq * k];
            float[] bd = new float[nq * k];
            s.copy(dist, d);
            s.copy(idx, i);
            s.copy(best, bd);
            return new Object[] {d, i, bd};
        }
    }

    @ParameterizedTest
    @FieldSource("org.jgpu.conformance.Backend#ALL")
    void l2DistancesAndTopKMatchAPlainJavaReference(String backend) {
        int nq = 7;
        int nb = 300;
        int dim = 33;
        int k = 10;
        float[] q = random(nq * dim);
        float[] b = random(nb * dim);
        try (Context ctx = Backend.open(backend)) {
            Object[] r = search(ctx, q, b, nq, nb, dim, k);
            float[] d = (float[]) r[0];
            int[] idx = (int[]) r[1];
            for (int i = 0; i < nq; i++) {
                Integer[] order = new Integer[nb];
                for (int j = 0; j < nb; j++) {
                    double acc = 0;
                    for (int x = 0; x < dim; x++) {
                        double diff = q[i * dim + x] - b[j * dim + x];
                        acc += diff * diff;
                    }
                    assertEquals(acc, d[i * nb + j], 1e-3 * Math.max(1, acc), "distance " + i + "," + j);
                    order[j] = j;
                }
                int row = i;
                Arrays.sort(order, (x, y) -> d[row * nb + x] != d[row * nb + y]
                        ? Float.compare(d[row * nb + x], d[row * nb + y]) : Integer.compare(x, y));
                for (int j = 0; j < k; j++) {
                    assertEquals(order[j], idx[i * k + j], "query " + i + " rank " + j);
                }
            }
        }
    }

    @ParameterizedTest
    @FieldSource("org.jgpu.conformance.Backend#ALL")
    void elementWiseKernelsMatchAPlainJavaReference(String backend) {
        int n = 5000;
        float[] x = random(n);
        float[] y = random(n);
        float[] bias = random(50);
        try (Context ctx = Backend.open(backend)) {
            KernelModule m = ctx.loadModule(ModuleSource.bundled());
            Stream s = ctx.createStream();
            try (DeviceBuffer dx = ctx.allocDevice(4L * n); DeviceBuffer dy = ctx.allocDevice(4L * n);
                    DeviceBuffer dz = ctx.allocDevice(4L * n); DeviceBuffer db = ctx.allocDevice(200)) {
                LaunchConfig small = LaunchConfig.of(org.jgpu.Dim3.of(3), org.jgpu.Dim3.of(64));   // grid-stride covers all
                s.copy(x, dx);
                s.copy(y, dy);
                s.copy(bias, db);
                s.launch(m.kernel(BundledKernels.VECTOR_ADD), small, dx, dy, dz, n);
                float[] sum = new float[n];
                s.copy(dz, sum);
                s.launch(m.kernel(BundledKernels.FMA_LOOP), small, dz, n, 100);
                float[] fma = new float[n];
                s.copy(dz, fma);
                s.launch(m.kernel(BundledKernels.BIAS_RELU), small, dx, db, 100, 50);
                float[] relu = new float[n];
                s.copy(dx, relu);
                for (int i = 0; i < n; i++) {
                    assertEquals(x[i] + y[i], sum[i], "vector_add " + i);
                    float v = sum[i];
                    for (int it = 0; it < 100; it++) {
                        v = Math.fma(v, 0.999f, 0.001f);
                    }
                    assertEquals(v, fma[i], "fma_loop " + i);
                    assertEquals(Math.max(0f, x[i] + bias[i % 50]), relu[i], "bias_relu " + i);
                }
            }
        }
    }

    @ParameterizedTest
    @FieldSource("org.jgpu.conformance.Backend#ALL")
    void progressLoopReportsProgressThroughMappedMemoryAndStopsWhenCancelled(String backend) throws Exception {
        // the host reads memory the kernel is writing on purpose: hazard checking off
        try (Context ctx = Backend.open(backend, HazardMode.OFF);
                HostBuffer progress = ctx.allocHost(8, EnumSet.of(HostAllocOption.MAPPED));
                HostBuffer cancel = ctx.allocHost(4, EnumSet.of(HostAllocOption.MAPPED))) {
            Kernel loop = ctx.loadModule(ModuleSource.bundled()).kernel(BundledKernels.PROGRESS_LOOP);
            Stream s = ctx.createStream();
            long steps = 10_000;
            s.launch(loop, LaunchConfig.forElements(1), progress, cancel, steps, 1_000_000L);   // 10 s if not cancelled
            long seen = 0;
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (seen < 5 && System.nanoTime() < deadline) {
                seen = progress.asByteBuffer().getLong(0);
                Thread.sleep(1);
            }
            assertTrue(seen >= 5, "progress never moved: " + seen);
            long t0 = System.nanoTime();
            cancel.write(0, new int[] {1});
            s.synchronize();
            long stopMillis = (System.nanoTime() - t0) / 1_000_000;
            long done = progress.asByteBuffer().getLong(0);
            assertTrue(done < steps && done >= seen, "stopped at " + done);
            assertTrue(stopMillis < 2_000, "cancel took " + stopMillis + " ms");
        }
    }

    @Test
    void theTwinsAndThePtxGiveTheSameResultsOnTheSameInputs() {
        Assumptions.assumeTrue(Backend.status("cuda").usable(),
                () -> "cuda backend skipped: " + Backend.status("cuda").reason());
        int nq = 5;
        int nb = 200;
        int dim = 16;
        float[] q = random(nq * dim);
        float[] b = random(nb * dim);
        Function<String, Object[]> run = name -> {
            try (Context ctx = Backend.open(name)) {
                return search(ctx, q, b, nq, nb, dim, 8);
            }
        };
        Object[] host = run.apply("host");
        Object[] cuda = run.apply("cuda");
        assertArrayEquals((float[]) host[0], (float[]) cuda[0], "l2_distances: twin vs PTX");
        assertArrayEquals((int[]) host[1], (int[]) cuda[1], "topk_smallest indexes: twin vs PTX");
        assertArrayEquals((float[]) host[2], (float[]) cuda[2], "topk_smallest distances: twin vs PTX");
    }

    @ParameterizedTest
    @FieldSource("org.jgpu.conformance.Backend#ALL")
    void theBundledModuleListsEveryContract(String backend) {
        try (Context ctx = Backend.open(backend)) {
            KernelModule m = ctx.loadModule(ModuleSource.bundled());
            for (var contract : BundledKernels.contracts()) {
                assertEquals(contract.name(), m.kernel(contract.name()).name());
                assertEquals(contract.params().size(), m.kernel(contract.name()).signature().params().size());
            }
        }
    }
}
