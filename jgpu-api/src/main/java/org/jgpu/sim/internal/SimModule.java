package org.jgpu.sim.internal;

import org.jgpu.KernelSignature;
import org.jgpu.sim.KernelTwin;
import org.jgpu.sim.KernelTwins;
import org.jgpu.spi.NativeFunction;
import org.jgpu.spi.NativeModule;
import org.jgpu.spi.PtxEntries;
import org.jgpu.spi.ResolvedKernel;

/**
 * A module on the host backend: its kernels run as registered Java twins, found by name (the
 * code itself, PTX or a binary image, is never run), so one instance serves every module.
 */
final class SimModule implements NativeModule {
    static final SimModule INSTANCE = new SimModule();

    private SimModule() {
    }

    /** A kernel run by its twin. */
    record TwinFunction(KernelSignature signature, KernelTwin twin) implements NativeFunction {
    }

    /**
     * {@inheritDoc}
     *
     * <p>Without a declaration the twin's signature is used, also for PTX kernels: it says which
     * buffers the kernel reads and writes, which PTX cannot.
     */
    @Override
    public NativeFunction function(ResolvedKernel kernel) {
        String name = kernel.name();
        KernelTwin twin = KernelTwins.find(name);
        if (twin == null) {
            throw new IllegalArgumentException(howToRegister(name));
        }
        KernelSignature declared = kernel.declared();
        if (declared != null && !(declared.name().equals(name) && twin.signature().matchesPtx(PtxEntries.erase(declared)))) {
            throw new IllegalArgumentException("kernel '" + name + "': declared as " + declared + " but its Java twin takes "
                    + twin.signature());
        }
        KernelSignature ptx = kernel.ptxEntry();
        if (ptx != null && !twin.signature().matchesPtx(ptx)) {
            throw new IllegalArgumentException("kernel '" + name + "': the PTX declares " + ptx
                    + " but its Java twin declares " + twin.signature() + "; make them agree");
        }
        return new TwinFunction(declared != null ? declared : twin.signature(), twin);
    }

    @Override
    public void unload() {
        // nothing native
    }

    /**
     * @param name a kernel name without a twin
     * @return how to give it one, for error messages
     */
    private static String howToRegister(String name) {
        return "kernel '" + name + "' has no Java twin, so the host backend cannot run it: implement "
                + "org.jgpu.sim.KernelTwin with the same name and parameters and call "
                + "KernelTwins.register(twin) (or list it in META-INF/services/org.jgpu.sim.KernelTwin), "
                + "or run on the cuda backend";
    }
}
