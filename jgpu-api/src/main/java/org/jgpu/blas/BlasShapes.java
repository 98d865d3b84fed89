package org.jgpu.blas;

import org.jgpu.DeviceBuffer;

/** The shape checks {@link Blas} makes before a backend sees a call. */
final class BlasShapes {
    private BlasShapes() {
    }

    static void positive(String call, String what, int v) {
        if (v < 1) {
            throw new IllegalArgumentException(call + ": " + what + " must be at least 1, got " + v);
        }
    }

    static void holds(String call, String role, DeviceBuffer b, long elements, String shape) {
        if (b == null) {
            throw new IllegalArgumentException(call + ": " + role + " must not be null");
        }
        long need = 4L * elements;
        if (b.size() < need) {
            throw new IllegalArgumentException(call + ": " + role + " ('" + b.name() + "') must hold " + shape + " = "
                    + elements + " floats (" + need + " bytes) but has " + b.size() + " bytes");
        }
    }

    static void sgemm(int m, int n, int k, DeviceBuffer a, DeviceBuffer b, DeviceBuffer c, Transpose ta, Transpose tb) {
        positive("sgemm", "m", m);
        positive("sgemm", "n", n);
        positive("sgemm", "k", k);
        holds("sgemm", "a", a, (long) m * k, ta == Transpose.NONE ? m + " x " + k : k + " x " + m);
        holds("sgemm", "b", b, (long) k * n, tb == Transpose.NONE ? k + " x " + n : n + " x " + k);
        holds("sgemm", "c", c, (long) m * n, m + " x " + n);
    }

    static void sgemv(Transpose ta, int m, int n, DeviceBuffer a, DeviceBuffer x, DeviceBuffer y) {
        positive("sgemv", "m", m);
        positive("sgemv", "n", n);
        holds("sgemv", "a", a, (long) m * n, m + " x " + n);
        int in = ta == Transpose.NONE ? n : m;
        int out = ta == Transpose.NONE ? m : n;
        holds("sgemv", "x", x, in, String.valueOf(in));
        holds("sgemv", "y", y, out, String.valueOf(out));
    }

    static void vectors(String call, int n, DeviceBuffer x, DeviceBuffer y) {
        positive(call, "n", n);
        holds(call, "x", x, n, String.valueOf(n));
        holds(call, "y", y, n, String.valueOf(n));
    }
}
