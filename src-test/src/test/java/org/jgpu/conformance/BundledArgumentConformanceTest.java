package org.jgpu.conformance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.jgpu.Access;
import org.jgpu.BundledKernels;
import org.jgpu.Context;
import org.jgpu.DeviceBuffer;
import org.jgpu.Kernel;
import org.jgpu.KernelArgumentException;
import org.jgpu.KernelParam;
import org.jgpu.KernelSignature;
import org.jgpu.LaunchConfig;
import org.jgpu.KernelModule;
import org.jgpu.ModuleSource;
import org.jgpu.ParamType;
import org.jgpu.Stream;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * Launches of the bundled kernels with counts out of range, buffers too small for the counts or
 * slices not aligned to their elements are refused at the call, the same way on every backend
 * (on a GPU they would corrupt memory or lose the context); 4-byte fills refuse unaligned
 * slices; saxpy rounds once.
 */
class BundledArgumentConformanceTest {
    private static final LaunchConfig ONE = LaunchConfig.forElements(1);

    private static KernelArgumentException refused(int param, String name, Executable launch, String... words) {
        KernelArgumentException e = assertThrows(KernelArgumentException.class, launch);
        assertEquals(param, e.parameterIndex(), e.getMessage());
        assertTrue(e.getMessage().contains("('" + name + "'"), "names the parameter: " + e.getMessage());
        for (String w : words) {
            assertTrue(e.getMessage().contains(w), "says '" + w + "': " + e.getMessage());
        }
        return e;
    }

    @ParameterizedTest
    @FieldSource("org.jgpu.conformance.Backend#ALL")
    void topkRefusesKOutsideOneToSixtyFour(String backend) {
        try (Context ctx = Backend.open(backend); DeviceBuffer dist = ctx.allocDevice(4 * 100);
                DeviceBuffer idx = ctx.allocDevice(4 * 100); DeviceBuffer best = ctx.allocDevice(4 * 100)) {
            Kernel topk = ctx.loadModule(ModuleSource.bundled()).kernel(BundledKernels.TOPK_SMALLEST);
            Stream s = ctx.createStream();
            refused(5, "k", () -> s.launch(topk, ONE, dist, idx, best, 1, 10, 0), "is 0", "[1, 64]", "pass k from 1 to 64");
            refused(5, "k", () -> s.launch(topk, ONE, dist, idx, best, 1, 100, 65), "is 65");
            refused(3, "nq", () -> s.launch(topk, ONE, dist, idx, best, -1, 10, 5), "negative");
            // the outputs hold nq * k entries
            refused(1, "outIdx", () -> s.launch(topk, ONE, dist, idx, best, 2, 50, 64), "nq * k = 128", "512 bytes");
            s.launch(topk, ONE, dist, idx, best, 1, 100, 64);
            s.synchronize();
        }
    }

    @ParameterizedTest
    @FieldSource("org.jgpu.conformance.Backend#ALL")
    void everyCountIsCheckedAgainstTheBuffersItMakesTheKernelTouch(String backend) {
        try (Context ctx = Backend.open(backend); DeviceBuffer a = ctx.allocDevice(4 * 64);
                DeviceBuffer b = ctx.allocDevice(4 * 64); DeviceBuffer small = ctx.allocDevice(4 * 8, "small")) {
            KernelModule m = ctx.loadModule(ModuleSource.bundled());
            Stream s = ctx.createStream();
            refused(2, "c", () -> s.launch(m.kernel(BundledKernels.VECTOR_ADD), ONE, a, b, small, 64),
                    "buffer 'small'", "holds 8 floats (32 bytes)", "n = 64", "256 bytes");
            refused(3, "n", () -> s.launch(m.kernel(BundledKernels.VECTOR_ADD), ONE, a, b, a, -1), "is -1", "negative");
            refused(1, "x", () -> s.launch(m.kernel(BundledKernels.SAXPY), ONE, 2f, small, a, 9), "n = 9");
            refused(0, "x", () -> s.launch(m.kernel(BundledKernels.SCALE), ONE, a, 2f, 65), "n = 65");
            refused(0, "x", () -> s.launch(m.kernel(BundledKernels.FMA_LOOP), ONE, small, 9, 1), "n = 9");
            Kernel l2 = m.kernel(BundledKernels.L2_DISTANCES);
            refused(0, "queries", () -> s.launch(l2, ONE, small, a, b, 3, 2, 3), "nq * dim = 9");
            refused(1, "base", () -> s.launch(l2, ONE, a, small, b, 2, 3, 3), "nb * dim = 9");
            refused(2, "out", () -> s.launch(l2, ONE, a, b, small, 3, 3, 1), "nq * nb = 9");
            // two negative counts would make a positive product: each is refused by itself
            refused(3, "nq", () -> s.launch(l2, ONE, a, b, small, -3, -3, 1), "negative");
            Kernel bias = m.kernel(BundledKernels.BIAS_RELU);
            refused(0, "x", () -> s.launch(bias, ONE, small, a, 3, 3), "rows * cols = 9");
            refused(1, "bias", () -> s.launch(bias, ONE, a, small, 1, 9), "cols = 9");
            refused(2, "rows", () -> s.launch(bias, ONE, a, b, -2, -2), "negative");
            // what fits runs
            s.launch(m.kernel(BundledKernels.VECTOR_ADD), ONE, a, b, small, 8);
            s.launch(l2, ONE, a, b, small, 2, 4, 16);
            s.launch(bias, ONE, a, small, 8, 8);
            s.synchronize();
        }
    }

    @ParameterizedTest
    @FieldSource("org.jgpu.conformance.Backend#ALL")
    void countsWhoseByteSizeOverflowsALongAreRefused(String backend) {
        int max = Integer.MAX_VALUE;
        try (Context ctx = Backend.open(backend); DeviceBuffer q = ctx.allocDevice(64, "q");
                DeviceBuffer b = ctx.allocDevice(64, "b"); DeviceBuffer out = ctx.allocDevice(64, "out")) {
            KernelModule m = ctx.loadModule(ModuleSource.bundled());
            Stream s = ctx.createStream();
            Kernel l2 = m.kernel(BundledKernels.L2_DISTANCES);
            // (2^31 - 1)^2 floats are about 2^64 bytes: the product wraps in a long
            refused(2, "out", () -> s.launch(l2, ONE, q, b, out, max, max, 0), "nq * nb = " + (long) max * max,
                    "18446744056529682436 bytes");
            refused(0, "queries", () -> s.launch(l2, ONE, q, b, out, max, 1, max), "nq * dim");
            Kernel bias = m.kernel(BundledKernels.BIAS_RELU);
            refused(0, "x", () -> s.launch(bias, ONE, q, b, max, max), "rows * cols");
            Kernel topk = m.kernel(BundledKernels.TOPK_SMALLEST);
            refused(0, "dist", () -> s.launch(topk, ONE, q, b, out, max, max, 1), "nq * nb");
            s.synchronize();
        }
    }

    @ParameterizedTest
    @FieldSource("org.jgpu.conformance.Backend#ALL")
    void aKernelWithNoWorkNeedsNoBufferAndANegativeIterationCountRunsNoStep(String backend) {
        try (Context ctx = Backend.open(backend); DeviceBuffer tiny = ctx.allocDevice(4, "tiny");
                DeviceBuffer x = ctx.allocDevice(4 * 8, "x")) {
            KernelModule m = ctx.loadModule(ModuleSource.bundled());
            Stream s = ctx.createStream();
            Kernel l2 = m.kernel(BundledKernels.L2_DISTANCES);
            // no (q, b) pair: the kernel reads no query and no base row
            s.launch(l2, ONE, tiny, tiny, tiny, 1000, 0, 1000);
            s.launch(l2, ONE, tiny, tiny, tiny, 0, 1000, 1000);
            // no element: no bias is read
            s.launch(m.kernel(BundledKernels.BIAS_RELU), ONE, tiny, tiny, 0, 1000);
            // the kernel's loop runs no step for a negative count, as for 0: x stays as it was
            s.copy(new float[] {1, 2, 3, 4, 5, 6, 7, 8}, x);
            s.launch(m.kernel(BundledKernels.FMA_LOOP), ONE, x, 8, -3);
            float[] back = new float[8];
            s.copy(x, back);
            assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6, 7, 8}, back);
            // what the work touches is still checked
            refused(2, "out", () -> s.launch(l2, ONE, tiny, tiny, tiny, 2, 1, 0), "nq * nb = 2");
            refused(0, "queries", () -> s.launch(l2, ONE, tiny, x, x, 1, 1, 2), "nq * dim = 2");
            refused(1, "bias", () -> s.launch(m.kernel(BundledKernels.BIAS_RELU), ONE, x, tiny, 1, 2), "cols = 2");
            s.synchronize();
        }
    }

    @ParameterizedTest
    @FieldSource("org.jgpu.conformance.Backend#ALL")
    void aKernelBufferMustStartAtAMultipleOfItsElementSize(String backend) {
        try (Context ctx = Backend.open(backend); DeviceBuffer a = ctx.allocDevice(4 * 64)) {
            Kernel scale = ctx.loadModule(ModuleSource.bundled()).kernel(BundledKernels.SCALE);
            Stream s = ctx.createStream();
            DeviceBuffer odd = a.slice(2, 4 * 16);
            refused(0, "x", () -> s.launch(scale, ONE, odd, 2f, 16), "starts at byte 2", "multiple of 4",
                    "MISALIGNED");
            s.copy(new float[] {1, 2, 3, 4, 5}, a);
            s.launch(scale, ONE, a.slice(4, 16), 10f, 4);
            float[] back = new float[5];
            s.copy(a, back);
            assertArrayEquals(new float[] {1, 20, 30, 40, 50}, back);
        }
    }

    @ParameterizedTest
    @FieldSource("org.jgpu.conformance.Backend#ALL")
    void aFourByteFillRefusesASliceThatDoesNotStartOnAWord(String backend) {
        try (Context ctx = Backend.open(backend); DeviceBuffer d = ctx.allocDevice(64)) {
            Stream s = ctx.createStream();
            s.fill(d, (byte) 0);
            DeviceBuffer odd = d.slice(2, 8);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> s.fill(odd, 7));
            assertTrue(e.getMessage().contains("starts at byte 2") && e.getMessage().contains("multiple of the 4-byte value"),
                    e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> s.fill(odd, 1f));
            s.fill(odd, (byte) 1);   // bytes have no alignment
            s.fill(d.slice(8, 8), 0x02020202);
            byte[] back = new byte[16];
            s.copy(d.slice(0, 16), back);
            assertArrayEquals(new byte[] {0, 0, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 2, 2}, back);
        }
    }

    @ParameterizedTest
    @FieldSource("org.jgpu.conformance.Backend#ALL")
    void saxpyRoundsOnceAsAFusedMultiplyAdd(String backend) {
        float a = 1 + 0x1p-12f;
        float[] x = {1 + 0x1p-12f, 3f};
        float[] y = {-1f, 1f};
        float fused = Math.fma(a, x[0], y[0]);
        assertNotEquals(fused, a * x[0] + y[0], "the input must tell one rounding from two");
        try (Context ctx = Backend.open(backend); DeviceBuffer dx = ctx.allocDevice(8); DeviceBuffer dy = ctx.allocDevice(8)) {
            Stream s = ctx.createStream();
            s.copy(x, dx);
            s.copy(y, dy);
            s.launch(ctx.loadModule(ModuleSource.bundled()).kernel(BundledKernels.SAXPY), ONE, a, dx, dy, 2);
            float[] back = new float[2];
            s.copy(dy, back);
            assertEquals(fused, back[0], 0f, "y = fma(a, x, y), exactly");
            assertEquals(Math.fma(a, 3f, 1f), back[1], 0f);
        }
    }

    @ParameterizedTest
    @FieldSource("org.jgpu.conformance.Backend#ALL")
    void aBundledKernelDeclaredByTheCallerWithTheContractsTypesIsCheckedToo(String backend) {
        try (Context ctx = Backend.open(backend); DeviceBuffer small = ctx.allocDevice(4 * 8)) {
            Kernel k = ctx.loadModule(ModuleSource.bundled()).kernel(BundledKernels.SCALE,
                    KernelSignature.of(BundledKernels.SCALE, KernelParam.pointer("x", Access.READ_WRITE),
                            KernelParam.scalar("factor", ParamType.F32), KernelParam.scalar("n", ParamType.B32)));
            KernelArgumentException e = assertThrows(KernelArgumentException.class,
                    () -> ctx.createStream().launch(k, ONE, small, 2f, 9));
            assertEquals(0, e.parameterIndex(), e.getMessage());
        }
    }
}
