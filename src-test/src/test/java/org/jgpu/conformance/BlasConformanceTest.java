package org.jgpu.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Random;
import org.jgpu.Context;
import org.jgpu.DeviceBuffer;
import org.jgpu.HazardException;
import org.jgpu.Stream;
import org.jgpu.StreamOptions;
import org.jgpu.blas.Blas;
import org.jgpu.blas.Transpose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;
import org.opentest4j.TestAbortedException;

/**
 * BLAS on streams: cuBLAS on CUDA, the Java twins on the host backend, checked against plain Java.
 * Where the CUDA driver works but cuBLAS does not load (no libcublas.so.12), the cuda column is
 * skipped with the reason naming the library.
 */
class BlasConformanceTest {
    private static final Random RANDOM = new Random(7);

    private static float[] random(int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = RANDOM.nextFloat() - 0.5f;
        }
        return v;
    }

    /**
     * A context on the backend with BLAS usable there; the calling test is skipped (with the
     * reason) if the backend, or BLAS on it, cannot be used here.
     */
    static Context open(String backend) {
        Context ctx = Backend.open(backend);
        try {
            assumeBlas(backend);
        } catch (TestAbortedException e) {
            ctx.close();
            throw e;
        }
        return ctx;
    }

    /** Skips the calling test, with the reason, if BLAS cannot be used on the backend here. */
    static void assumeBlas(String backend) {
        java.util.Optional<String> reason = Blas.unavailableReason(backend);
        assumeTrue(reason.isEmpty(), () -> "BLAS on " + backend + " skipped: " + reason.orElseThrow());
    }

    @Test
    void withoutCublasTheCudaColumnSkipsNamingTheLibrary() {
        assumeTrue(Blas.unavailableReason("cuda").isPresent(), "cuBLAS loads here: the cuda column runs");
        TestAbortedException e = assertThrows(TestAbortedException.class, () -> assumeBlas("cuda"));
        assertTrue(e.getMessage().contains("BLAS on cuda skipped") && e.getMessage().contains("libcublas.so.12")
                && e.getMessage().contains("install"), e.getMessage());
        assumeBlas("host");   // never skipped
    }

    private static DeviceBuffer upload(Context ctx, Stream s, float[] v) {
        DeviceBuffer d = ctx.allocDevice(4L * v.length);
        s.copy(v, d);
        return d;
    }

    @ParameterizedTest
    @FieldSource("org.jgpu.conformance.Backend#ALL")
    void sgemmInEveryTransposeMatchesAPlainJavaProduct(String backend) {
        int m = 13;
        int n = 7;
        int k = 9;
        try (Context ctx = open(backend)) {
            Stream s = ctx.createStream();
            try (Blas blas = Blas.on(s)) {
                for (Transpose ta : Transpose.values()) {
                    for (Transpose tb : Transpose.values()) {
                        float[] a = random(m * k);
                        float[] b = random(k * n);
                        float[] c0 = random(m * n);
                        DeviceBuffer da = upload(ctx, s, a);
                        DeviceBuffer db = upload(ctx, s, b);
                        DeviceBuffer dc = upload(ctx, s, c0);
                        blas.sgemm(ta, tb, m, n, k, 1.5f, da, db, 0.5f, dc);
                        float[] c = new float[m * n];
                        s.copy(dc, c);
                        for (int r = 0; r < m; r++) {
                            for (int col = 0; col < n; col++) {
                                double acc = 0;
                                for (int x = 0; x < k; x++) {
                                    float av = ta == Transpose.NONE ? a[r * k + x] : a[x * m + r];
                                    float bv = tb == Transpose.NONE ? b[x * n + col] : b[col * k + x];
                                    acc += av * bv;
                                }
                                assertEquals(1.5 * acc + 0.5 * c0[r * n + col], c[r * n + col], 1e-4,
                                        ta + "/" + tb + " at " + r + "," + col);
                            }
                        }
                    }
                }
            }
        }
    }

    @ParameterizedTest
    @FieldSource("org.jgpu.conformance.Backend#ALL")
    void sgemvSaxpyAndSdotMatchPlainJava(String backend) {
        int m = 11;
        int n = 6;
        try (Context ctx = open(backend)) {
            Stream s = ctx.createStream();
            try (Blas blas = Blas.on(s)) {
                float[] a = random(m * n);
                float[] x = random(n);
                float[] xt = random(m);
                DeviceBuffer da = upload(ctx, s, a);
                DeviceBuffer dx = upload(ctx, s, x);
                DeviceBuffer dxt = upload(ctx, s, xt);
                DeviceBuffer y = ctx.allocDevice(4L * m);
                DeviceBuffer yt = ctx.allocDevice(4L * n);
                blas.sgemv(Transpose.NONE, m, n, 2f, da, dx, 0f, y);
                blas.sgemv(Transpose.TRANSPOSE, m, n, 1f, da, dxt, 0f, yt);
                float[] gy = new float[m];
                float[] gyt = new float[n];
                s.copy(y, gy);
                s.copy(yt, gyt);
                for (int r = 0; r < m; r++) {
                    double acc = 0;
                    for (int j = 0; j < n; j++) {
                        acc += a[r * n + j] * x[j];
                    }
                    assertEquals(2 * acc, gy[r], 1e-4, "sgemv row " + r);
                }
                for (int c = 0; c < n; c++) {
                    double acc = 0;
                    for (int r = 0; r < m; r++) {
                        acc += a[r * n + c] * xt[r];
                    }
                    assertEquals(acc, gyt[c], 1e-4, "sgemv transposed " + c);
                }
                float[] v = random(100);
                float[] w = random(100);
                DeviceBuffer dv = upload(ctx, s, v);
                DeviceBuffer dw = upload(ctx, s, w);
                DeviceBuffer dot = ctx.allocDevice(4);
                blas.sdot(100, dv, dw, dot);
                blas.saxpy(100, -2f, dv, dw);
                float[] got = new float[1];
                s.copy(dot, got);
                float[] after = new float[100];
                s.copy(dw, after);
                double want = 0;
                for (int i = 0; i < 100; i++) {
                    want += v[i] * w[i];
                    assertEquals(w[i] - 2f * v[i], after[i], 1e-5, "saxpy " + i);
                }
                assertEquals(want, got[0], 1e-4, "sdot");
            }
        }
    }

    @ParameterizedTest
    @FieldSource("org.jgpu.conformance.Backend#ALL")
    void shapesAreCheckedAndCallsAreSeenByTheHazardChecker(String backend) {
        try (Context ctx = open(backend)) {
            Stream s = ctx.createStream(StreamOptions.builder().name("blas").build());
            Stream other = ctx.createStream(StreamOptions.builder().name("other").build());
            try (Blas blas = Blas.on(s)) {
                DeviceBuffer small = ctx.allocDevice(16, "small");
                DeviceBuffer big = ctx.allocDevice(4096, "big");
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                        () -> blas.sgemm(Transpose.NONE, Transpose.NONE, 8, 8, 8, 1f, small, big, 0f, big));
                assertTrue(e.getMessage().contains("'small'") && e.getMessage().contains("8 x 8")
                        && e.getMessage().contains("256 bytes"), e.getMessage());
                assertThrows(IllegalArgumentException.class, () -> blas.saxpy(0, 1f, big, big));
                other.fill(big, 1f);
                HazardException h = assertThrows(HazardException.class, () -> blas.saxpy(4, 1f, small, big));
                assertEquals("other", h.earlierStream());
                ctx.synchronize();
            }
        }
    }

    @ParameterizedTest
    @FieldSource("org.jgpu.conformance.Backend#ALL")
    void aStreamHasOneBlasClosedWithItOrEarlier(String backend) {
        try (Context ctx = open(backend)) {
            Stream s = ctx.createStream(StreamOptions.builder().name("owner").build());
            DeviceBuffer x = upload(ctx, s, random(64));
            Blas first = Blas.on(s);
            assertSame(first, Blas.on(s), "the stream's one BLAS");
            first.saxpy(64, 1f, x, x);
            first.close();
            assertThrows(IllegalStateException.class, () -> first.saxpy(64, 1f, x, x));
            Blas second = Blas.on(s);
            assertNotSame(first, second, "closed early, so the next Blas.on makes a new one");
            second.saxpy(64, 1f, x, x);
            s.close();
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> second.saxpy(64, 1f, x, x));
            assertTrue(e.getMessage().contains("'owner' is closed"), e.getMessage());
            ctx.synchronize();   // closing it with the stream failed nothing
        }
    }
}
