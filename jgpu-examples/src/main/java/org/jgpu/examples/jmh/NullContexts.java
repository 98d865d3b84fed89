package org.jgpu.examples.jmh;

import org.jgpu.BundledKernels;
import org.jgpu.Context;
import org.jgpu.ContextOptions;
import org.jgpu.HazardMode;
import org.jgpu.Kernel;
import org.jgpu.LaunchConfig;
import org.jgpu.ModuleSource;
import org.jgpu.Stream;
import org.jgpu.spi.Extensions;

/** What the benchmarks share: contexts on the null backend, the kernel they launch, its shape. */
final class NullContexts {
    /** Elements of each {@code saxpy} buffer. */
    static final int N = 1 << 20;
    /** Bytes of each {@code saxpy} buffer (4 MiB; the null backend allocates none of them). */
    static final long BYTES = 4L * N;
    /** The launch shape of {@code saxpy} over {@link #N} elements. */
    static final LaunchConfig CONFIG = LaunchConfig.forElements(N);
    /** The scalar {@code a} of {@code saxpy}. */
    static final float ALPHA = 2f;

    private NullContexts() {
    }

    /**
     * @param mode the hazard mode
     * @param launchNanos the null backend's modelled launch and record cost
     * @return a new context on the null backend
     */
    static Context open(HazardMode mode, long launchNanos) {
        return Context.create(ContextOptions.builder().backend(NullBackendProvider.NAME).hazardMode(mode)
                .configure(new NullSettings(launchNanos)).build());
    }

    /**
     * @param ctx a context
     * @param name a bundled kernel's name
     * @return that kernel, from a new module of the bundled kernels
     */
    static Kernel bundled(Context ctx, String name) {
        return ctx.loadModule(ModuleSource.bundled()).kernel(name);
    }

    /**
     * @param ctx a context
     * @return {@code saxpy(float a, const float* x, float* y, int n)}
     */
    static Kernel saxpy(Context ctx) {
        return bundled(ctx, BundledKernels.SAXPY);
    }

    /**
     * @param stream an open stream of a null-backend context
     * @return the backend calls made on it so far
     * @throws ClassCastException if the stream is not on the null backend
     */
    static long calls(Stream stream) {
        return ((NullStream) Extensions.nativeStream(stream)).calls();
    }
}
