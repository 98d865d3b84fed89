package org.jgpu.cuda.blas;

import org.jgpu.Arg;
import org.jgpu.DeviceBuffer;
import org.jgpu.Kernel;
import org.jgpu.LaunchConfig;
import org.jgpu.Module;
import org.jgpu.ModuleSource;
import org.jgpu.Stream;
import org.jgpu.sim.KernelTwins;
import org.jgpu.sim.KernelTwin;

/**
 * BLAS on the host backend: each call launches a Java twin, so it is ordered, hazard-checked and
 * timed by the engine model like any kernel.
 */
final class HostBlas implements Blas {
    static {
        for (KernelTwin t : BlasTwins.all()) {
            KernelTwins.register(t);
        }
    }

    private static final LaunchConfig ONE = LaunchConfig.forElements(1);

    private final Stream stream;
    private final Module module;
    private final Kernel sgemm;
    private final Kernel sgemv;
    private final Kernel saxpy;
    private final Kernel sdot;
    private final BlasGate gate;

    HostBlas(Stream stream) {
        this.stream = stream;
        this.module = stream.context().loadModule(ModuleSource.ptx(BlasTwins.DECLARATIONS));
        this.sgemm = module.kernel(BlasTwins.SGEMM, new BlasTwins.Sgemm().signature());
        this.sgemv = module.kernel(BlasTwins.SGEMV, new BlasTwins.Sgemv().signature());
        this.saxpy = module.kernel(BlasTwins.SAXPY, new BlasTwins.Saxpy().signature());
        this.sdot = module.kernel(BlasTwins.SDOT, new BlasTwins.Sdot().signature());
        this.gate = new BlasGate(stream, "BLAS");
    }

    private static int flag(Transpose t) {
        return t == Transpose.NONE ? 0 : 1;
    }

    @Override
    public Stream stream() {
        return stream;
    }

    @Override
    public void sgemm(Transpose ta, Transpose tb, int m, int n, int k, float alpha, DeviceBuffer a, DeviceBuffer b,
            float beta, DeviceBuffer c) {
        gate.enter();
        try {
            BlasShapes.sgemm(m, n, k, a, b, c, ta, tb);
            stream.launch(sgemm, ONE, flag(ta), flag(tb), m, n, k, alpha, a, b, beta, beta == 0f ? Arg.out(c) : c);
        } finally {
            gate.exit();
        }
    }

    @Override
    public void sgemv(Transpose ta, int m, int n, float alpha, DeviceBuffer a, DeviceBuffer x, float beta, DeviceBuffer y) {
        gate.enter();
        try {
            BlasShapes.sgemv(ta, m, n, a, x, y);
            stream.launch(sgemv, ONE, flag(ta), m, n, alpha, a, x, beta, beta == 0f ? Arg.out(y) : y);
        } finally {
            gate.exit();
        }
    }

    @Override
    public void saxpy(int n, float alpha, DeviceBuffer x, DeviceBuffer y) {
        gate.enter();
        try {
            BlasShapes.vectors("saxpy", n, x, y);
            stream.launch(saxpy, ONE, n, alpha, x, y);
        } finally {
            gate.exit();
        }
    }

    @Override
    public void sdot(int n, DeviceBuffer x, DeviceBuffer y, DeviceBuffer result) {
        gate.enter();
        try {
            BlasShapes.vectors("sdot", n, x, y);
            BlasShapes.holds("sdot", "result", result, 1, "1");
            stream.launch(sdot, ONE, n, x, y, result);
        } finally {
            gate.exit();
        }
    }

    /** {@inheritDoc} The same sequence as cuBLAS's close: calls in flight, the stream's work, then the module. */
    @Override
    public void close() {
        gate.close(module::close);
    }
}
