package org.jgpu.conformance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.jgpu.AsyncOperationException;
import org.jgpu.BundledKernels;
import org.jgpu.Context;
import org.jgpu.DeviceBuffer;
import org.jgpu.Graph;
import org.jgpu.HostBuffer;
import org.jgpu.Kernel;
import org.jgpu.LaunchConfig;
import org.jgpu.ModuleSource;
import org.jgpu.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * {@code Stream.upload} and {@code download} of Java arrays, and {@code Context.allocUpload}:
 * the right bytes for every type and range, arrays filled when synchronize returns, bad ranges
 * and sizes named, capture refused, and staging memory never reused before its copy is done.
 */
class ArrayTransferConformanceTest {
    private static final int N = 300;

    @ParameterizedTest
    @FieldSource("org.jgpu.conformance.Backend#ALL")
    void anUploadPutsTheRangeOfEveryTypeAtTheStartOfTheBuffer(String backend) {
        try (Context ctx = Backend.open(backend); Stream s = ctx.createStream("s");
                DeviceBuffer dev = ctx.allocDevice(8L * N, "d"); HostBuffer host = ctx.allocHost(8L * N, "h")) {
            float[] f = new float[N];
            int[] i = new int[N];
            long[] l = new long[N];
            double[] d = new double[N];
            byte[] b = new byte[N];
            for (int k = 0; k < N; k++) {
                f[k] = k + 0.5f;
                i[k] = -k;
                l[k] = (1L << 40) + k;
                d[k] = k / 3.0;
                b[k] = (byte) (k * 7);
            }
            s.upload(f, 7, 100, dev);
            assertArrayEquals(Arrays.copyOfRange(f, 7, 107), back(s, dev, host).slice(0, 400).toFloatArray(), "float range");
            s.upload(i, dev);
            assertArrayEquals(i, back(s, dev, host).slice(0, 4L * N).toIntArray(), "int[]");
            s.upload(l, N - 3, 3, dev);
            assertArrayEquals(Arrays.copyOfRange(l, N - 3, N), back(s, dev, host).slice(0, 24).toLongArray(), "long range");
            s.upload(d, dev);
            assertArrayEquals(d, back(s, dev, host).toDoubleArray(), "double[]");
            s.upload(b, 1, N - 1, dev);
            assertArrayEquals(Arrays.copyOfRange(b, 1, N), back(s, dev, host).slice(0, N - 1).toByteArray(), "byte range");
            s.upload(new int[] {42}, dev.slice(8, 4));   // a slice reaches elsewhere
            assertEquals(42, back(s, dev, host).slice(8, 4).toIntArray()[0]);
            s.upload(f, 5, 0, dev);     // nothing to move
            ctx.synchronize();
        }
    }

    /** @return host, holding dev's bytes */
    private static HostBuffer back(Stream s, DeviceBuffer dev, HostBuffer host) {
        s.copy(dev, 0, host, 0, Math.min(dev.size(), host.size()));
        s.synchronize();
        return host;
    }

    @ParameterizedTest
    @FieldSource("org.jgpu.conformance.Backend#ALL")
    void aDownloadFillsTheRangeOfEveryTypeFromTheStartOfTheBufferAndNothingElse(String backend) {
        try (Context ctx = Backend.open(backend); Stream s = ctx.createStream("s");
                DeviceBuffer dev = ctx.allocDevice(8L * N, "d"); HostBuffer host = ctx.allocHost(8L * N, "h")) {
            double[] values = new double[N];
            for (int k = 0; k < N; k++) {
                values[k] = k * 1.25;
            }
            host.write(0, values);
            s.copy(host, dev);
            ByteSource src = new ByteSource(host);

            float[] f = new float[N + 10];
            Arrays.fill(f, -1f);
            assertSame(f, s.download(dev, f, 4, N).join());
            assertEquals(-1f, f[3]);
            assertEquals(-1f, f[N + 4]);
            assertArrayEquals(src.floats(N), Arrays.copyOfRange(f, 4, N + 4));
            int[] i = new int[N];
            assertArrayEquals(src.ints(N), s.download(dev, i).join());
            long[] l = new long[20];
            Arrays.fill(l, 9);
            s.download(dev, l, 19, 1).join();
            assertEquals(9, l[18]);
            assertEquals(src.longs(1)[0], l[19]);
            double[] d = new double[N];
            assertArrayEquals(values, s.download(dev, d).join());
            byte[] b = new byte[N];
            s.download(dev.slice(8, N), b, 0, N).join();
            assertArrayEquals(Arrays.copyOfRange(host.toByteArray(), 8, N + 8), b);
            float[] none = {1f, 2f};
            assertArrayEquals(new float[] {1f, 2f}, s.download(dev, none, 2, 0).join());
            ctx.synchronize();
        }
    }

    /** The expected values: the host buffer's bytes read as each type. */
    private record ByteSource(HostBuffer host) {
        float[] floats(int n) {
            float[] a = new float[n];
            host.read(0, a);
            return a;
        }

        int[] ints(int n) {
            int[] a = new int[n];
            host.read(0, a);
            return a;
        }

        long[] longs(int n) {
            long[] a = new long[n];
            host.read(0, a);
            return a;
        }
    }

    @ParameterizedTest
    @FieldSource("org.jgpu.conformance.Backend#ALL")
    void whenSynchronizeReturnsTheDownloadedArrayIsFilledEvenIfTheCallbackExecutorLags(String backend) {
        // continuations run late: the array must not depend on them
        Executor late = r -> new Thread(() -> {
            sleep(300);
            r.run();
        }).start();
        try (Context ctx = Context.create(Backend.options(backend).callbackExecutor(late).build());
                Stream s = ctx.createStream("s"); DeviceBuffer dev = ctx.allocDevice(4L * N, "d")) {
            for (int round = 1; round <= 3; round++) {
                s.fill(dev, round);
                int[] a = new int[N];
                CompletableFuture<int[]> filled = s.download(dev, a);
                s.synchronize();
                assertEquals(round, a[0]);
                assertEquals(round, a[N - 1]);
                assertSame(a, filled.join());
            }
            float[] f = new float[N];
            s.fill(dev, 2.5f);
            s.download(dev, f);
            ctx.synchronize();
            assertEquals(2.5f, f[N - 1]);
        }
    }

    private static void sleep(long ms) {
        try {
            TimeUnit.MILLISECONDS.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @ParameterizedTest
    @FieldSource("org.jgpu.conformance.Backend#ALL")
    void manyUploadsFromOneReusedArrayAllArriveIntact(String backend) {
        int uploads = 40;   // far more than the staging buffers of one size
        try (Context ctx = Backend.open(backend); Stream s = ctx.createStream("s");
                DeviceBuffer dev = ctx.allocDevice(4L * N * uploads, "d")) {
            Kernel spin = ctx.loadModule(ModuleSource.bundled()).kernel(BundledKernels.SPIN);
            s.launch(spin, LaunchConfig.forElements(1), 50_000_000L);   // the copies wait behind 50 ms of work
            int[] batch = new int[N];
            for (int u = 0; u < uploads; u++) {
                Arrays.fill(batch, u);
                s.upload(batch, dev.slice(4L * N * u, 4L * N));
            }
            int[] all = s.download(dev, new int[N * uploads]).join();
            for (int u = 0; u < uploads; u++) {
                assertEquals(u, all[N * u], "upload " + u + " first element");
                assertEquals(u, all[N * u + N - 1], "upload " + u + " last element");
            }
            // downloads through the same staging, from a reused array too
            float[] out = new float[N];
            for (int u = 0; u < 12; u++) {
                s.fill(dev.slice(0, 4L * N), (float) u);
                float expected = u;
                s.download(dev, out);
                s.synchronize();
                assertEquals(expected, out[N - 1]);
            }
            ctx.synchronize();
        }
    }

    @ParameterizedTest
    @FieldSource("org.jgpu.conformance.Backend#ALL")
    void badRangesAndSizesAreRefusedNamingTheArgumentAndTheLengths(String backend) {
        try (Context ctx = Backend.open(backend); Stream s = ctx.createStream("copier");
                DeviceBuffer dev = ctx.allocDevice(64, "small")) {
            float[] a = new float[10];
            for (Executable bad : new Executable[] {
                () -> s.upload(a, -1, 2, dev), () -> s.upload(a, 9, 2, dev), () -> s.upload(a, 0, -1, dev),
                () -> s.upload(a, Integer.MAX_VALUE, 1, dev), () -> s.download(dev, a, 11, 0)}) {
                IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class, bad);
                assertTrue(e.getMessage().matches(".*(src|dst).*length 10.*"), e.getMessage());
            }
            IllegalArgumentException big = assertThrows(IllegalArgumentException.class, () -> s.upload(new long[9], dev));
            assertTrue(big.getMessage().contains("'copier'") && big.getMessage().contains("'small'")
                    && big.getMessage().contains("64 bytes") && big.getMessage().contains("72 bytes"), big.getMessage());
            IllegalArgumentException down = assertThrows(IllegalArgumentException.class,
                    () -> s.download(dev, new byte[65]));
            assertTrue(down.getMessage().contains("'copier'") && down.getMessage().contains("'small'")
                    && down.getMessage().contains("65 bytes"), down.getMessage());
            IllegalArgumentException nul = assertThrows(IllegalArgumentException.class, () -> s.upload((int[]) null, dev));
            assertTrue(nul.getMessage().contains("src"), nul.getMessage());
            nul = assertThrows(IllegalArgumentException.class, () -> s.download(dev, (double[]) null));
            assertTrue(nul.getMessage().contains("dst"), nul.getMessage());
            assertThrows(IllegalArgumentException.class, () -> ctx.allocUpload(new double[0], s));
            s.upload(a, dev);     // still usable
            s.synchronize();
        }
    }

    @ParameterizedTest
    @FieldSource("org.jgpu.conformance.Backend#ALL")
    void uploadAndDownloadOfArraysAreRefusedInACaptureSayingWhatToCaptureInstead(String backend) {
        try (Context ctx = Backend.open(backend); Stream s = ctx.createStream("s"); DeviceBuffer dev = ctx.allocDevice(64)) {
            for (Runnable staged : new Runnable[] {() -> s.upload(new float[4], dev), () -> s.download(dev, new int[4])}) {
                IllegalStateException e = assertThrows(IllegalStateException.class, () -> s.capture(staged));
                assertTrue(e.getMessage().contains("stream 's'") && e.getMessage().contains("captured")
                        && e.getMessage().contains("HostBuffer"), e.getMessage());
            }
            try (Graph g = s.capture(() -> s.fill(dev, 3))) {     // the stream still captures and runs
                s.launch(g);
            }
            assertEquals(3, s.download(dev, new int[16]).join()[15]);
        }
    }

    @ParameterizedTest
    @FieldSource("org.jgpu.conformance.Backend#ALL")
    void allocUploadHoldsTheValuesOfEveryType(String backend) {
        try (Context ctx = Backend.open(backend); Stream s = ctx.createStream("s")) {
            try (DeviceBuffer f = ctx.allocUpload(new float[] {1.5f, 2.5f}, s);
                    DeviceBuffer i = ctx.allocUpload(new int[] {3, 4, 5}, s);
                    DeviceBuffer l = ctx.allocUpload(new long[] {Long.MAX_VALUE}, s);
                    DeviceBuffer d = ctx.allocUpload(new double[] {Math.PI, Math.E}, s);
                    DeviceBuffer b = ctx.allocUpload(new byte[] {1, 2, 3}, s)) {
                assertEquals(8, f.size());
                assertArrayEquals(new float[] {1.5f, 2.5f}, s.download(f, new float[2]).join());
                assertArrayEquals(new int[] {3, 4, 5}, s.download(i, new int[3]).join());
                assertArrayEquals(new long[] {Long.MAX_VALUE}, s.download(l, new long[1]).join());
                assertArrayEquals(new double[] {Math.PI, Math.E}, s.download(d, new double[2]).join());
                assertArrayEquals(new byte[] {1, 2, 3}, s.download(b, new byte[3]).join());
            }
        }
    }

    @ParameterizedTest
    @FieldSource("org.jgpu.conformance.Backend#ALL")
    void aDownloadBehindFailedWorkFailsItsFutureLeavesTheArrayAloneAndTheStreamReportsIt(String backend) {
        Assumptions.assumeTrue(backend.equals("host"), "a faulting kernel corrupts a CUDA context");
        try (Context ctx = Backend.open(backend); DeviceBuffer d = ctx.allocDevice(64, "tiny")) {
            Kernel scale = ctx.loadModule(ModuleSource.ptx(".version 7.0\n.target sm_75\n.address_size 64\n"
                    + ".visible .entry scale(\n.param .u64 p0,\n.param .f32 p1,\n.param .u32 p2\n)\n{\nret;\n}\n"))
                    .kernel(BundledKernels.SCALE);
            Stream s = ctx.createStream("s");
            s.launch(scale, LaunchConfig.forElements(1000), d, 2f, 1000);   // 4000 bytes of a 64-byte buffer
            float[] a = new float[16];
            Arrays.fill(a, 7f);
            CompletableFuture<float[]> f = s.download(d, a);
            CompletionException e = assertThrows(CompletionException.class, f::join);
            assertTrue(e.getCause() instanceof AsyncOperationException, String.valueOf(e.getCause()));
            assertEquals(7f, a[0]);
            assertThrows(AsyncOperationException.class, s::synchronize);
        }
    }
}
