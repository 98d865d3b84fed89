package org.jgpu.sim.internal.blas;

import org.jgpu.Arg;
import org.jgpu.DeviceBuffer;
import org.jgpu.Kernel;
import org.jgpu.LaunchConfig;
import org.jgpu.KernelModule;
import org.jgpu.ModuleSource;
import org.jgpu.Stream;
import org.jgpu.blas.BlasBackend;
import org.jgpu.blas.Transpose;

/**
 * BLAS on the host backend: each call launches a Java twin ({@link BlasTwins}), so it is ordered,
 * hazard-checked and timed by the engine model like any kernel.
 */
final class SimBlas implements BlasBackend {
    private static final LaunchConfig ONE = LaunchConfig.forElements(1);

    private final KernelModule module;
    private final Kernel sgemm;
    private final Kernel sgemv;
    private final Kernel saxpy;
    private final Kernel sdot;

    /** @param stream the stream the twins are launched on; loads their module into its context */
    SimBlas(Stream stream) {
        this.module = stream.context().loadModule(ModuleSource.ptx(BlasTwins.DECLARATIONS));
        this.sgemm = module.kernel(BlasTwins.SGEMM, new BlasTwins.Sgemm().signature());
        this.sgemv = module.kernel(BlasTwins.SGEMV, new BlasTwins.Sgemv().signature());
        this.saxpy = module.kernel(BlasTwins.SAXPY, new BlasTwins.Saxpy().signature());
        this.sdot = module.kernel(BlasTwins.SDOT, new BlasTwins.Sdot().signature());
    }

    private static int flag(Transpose t) {
        return t == Transpose.NONE ? 0 : 1;
    }

    @Override
    public void sgemm(Stream stream, Transpose ta, Transpose tb, int m, int n, int k, float alpha, DeviceBuffer a, DeviceBuffer b,
            float beta, DeviceBuffer c) {
        stream.launch(sgemm, ONE, flag(ta), flag(tb), m, n, k, alpha, a, b, beta, beta == 0f ? Arg.out(c) : c);
    }

    @Override
    public void sgemv(Stream stream, Transpose ta, int m, int n, float alpha, DeviceBuffer a, DeviceBuffer x, float beta, DeviceBuffer y) {
        stream.launch(sgemv, ONE, flag(ta), m, n, alpha, a, x, beta, beta == 0f ? Arg.out(y) : y);
    }

    @Override
    public void saxpy(Stream stream, int n, float alpha, DeviceBuffer x, DeviceBuffer y) {
        stream.launch(saxpy, ONE, n, alpha, x, y);
    }

    @Override
    public void sdot(Stream stream, int n, DeviceBuffer x, DeviceBuffer y, DeviceBuffer result) {
        stream.launch(sdot, ONE, n, x, y, result);
    }

    /** {@inheritDoc} Unloads the twins' module (a no-op if the context closed it first). */
    @Override
    public void close() {
        module.close();
    }
}
