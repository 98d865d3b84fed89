package org.jgpu.sim.internal;

import org.jgpu.sim.KernelTwin;
import org.jgpu.sim.KernelTwins;
import java.util.List;
import org.jgpu.BundledKernels;
import org.jgpu.GpuException;
import org.jgpu.KernelSignature;
import org.jgpu.ModuleSource;
import org.jgpu.spi.NativeFunction;
import org.jgpu.spi.NativeModule;
import org.jgpu.spi.PtxEntries;

/**
 * A module on the host backend: its entries come from the PTX (or, for the bundled kernels and
 * binary images, from the twins' contracts) and run as registered Java twins.
 */
final class SimModule implements NativeModule {
    private final List<KernelSignature> entries;
    private final boolean fromPtx;

    private SimModule(List<KernelSignature> entries, boolean fromPtx) {
        this.entries = entries;
        this.fromPtx = fromPtx;
    }

    /** A kernel run by its twin. */
    record TwinFunction(KernelSignature signature, KernelTwin twin) implements NativeFunction {
    }

    static SimModule load(ModuleSource source) {
        switch (source.kind()) {
            case BUNDLED:
                return new SimModule(BundledKernels.contracts(), false);
            case PTX:
                try {
                    return new SimModule(PtxEntries.parse(source.ptxText()), true);
                } catch (IllegalArgumentException e) {
                    throw new GpuException("cannot load " + source + ": " + e.getMessage(), e);
                }
            default:
                // a cubin or fatbin cannot be read here: its kernels resolve to twins by name
                return new SimModule(List.of(), false);
        }
    }

    @Override
    public List<KernelSignature> entries() {
        return entries;
    }

    @Override
    public NativeFunction function(String name, KernelSignature given) {
        KernelTwin twin = KernelTwins.find(name);
        if (twin == null) {
            throw new IllegalArgumentException(howToRegister(name));
        }
        if (given != null && !(given.name().equals(name) && twin.signature().matchesPtx(erase(given)))) {
            throw new IllegalArgumentException("kernel '" + name + "': declared as " + given + " but its Java twin takes "
                    + twin.signature());
        }
        KernelSignature declared = null;
        for (KernelSignature s : entries) {
            if (s.name().equals(name)) {
                declared = s;
            }
        }
        if (fromPtx && declared != null && !twin.signature().matchesPtx(declared)) {
            throw new IllegalArgumentException("kernel '" + name + "': the PTX declares " + declared
                    + " but its Java twin declares " + twin.signature() + "; make them agree");
        }
        return new TwinFunction(given != null ? given : twin.signature(), twin);
    }

    /** A declaration as PTX would state it: pointers are 64-bit words. */
    private static KernelSignature erase(KernelSignature s) {
        return new KernelSignature(s.name(), s.params().stream()
                .map(p -> p.type() == org.jgpu.ParamType.POINTER ? new org.jgpu.KernelParam(p.name(), org.jgpu.ParamType.B64, p.access()) : p)
                .toList());
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
