package org.jgpu.internal;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jgpu.BundledKernels;
import org.jgpu.GpuException;
import org.jgpu.Kernel;
import org.jgpu.KernelSignature;
import org.jgpu.KernelModule;
import org.jgpu.ModuleSource;
import org.jgpu.spi.DeviceBackend;
import org.jgpu.spi.NativeModule;
import org.jgpu.spi.PtxEntries;
import org.jgpu.spi.ResolvedKernel;

/**
 * The one implementation of {@link KernelModule}. It reads the module's entries and resolves each
 * kernel's signature (the caller's declaration, the bundled contract or the PTX), once for every
 * backend, so a backend is handed a checked {@link ResolvedKernel}.
 */
final class CoreModule extends CoreResource implements KernelModule {
    private final NativeModule nat;
    private final String name;
    private final List<KernelSignature> entries;
    private final boolean fromPtx;
    private final Map<String, CoreKernel> kernels = new ConcurrentHashMap<>();

    private CoreModule(Scope scope, NativeModule nat, ModuleSource source, List<KernelSignature> entries) {
        super(scope, "module '" + source.description() + "'", Handle.Kind.MODULE, nat::unload, Handle.OnLeak.WARN);
        this.nat = nat;
        this.name = source.description();
        this.entries = entries;
        this.fromPtx = source.kind() == ModuleSource.Kind.PTX;
    }

    /**
     * Reads the source's entries, then has the backend load it: PTX jgpu cannot pass arguments
     * to fails before the backend compiles anything.
     *
     * @param scope the owning context's parts, in a create section
     * @param backend its backend
     * @param source the code
     * @return the module
     * @throws GpuException if the PTX declares a parameter jgpu cannot pass (the message names
     *         it), or the backend cannot load the code
     */
    static CoreModule load(Scope scope, DeviceBackend backend, ModuleSource source) {
        List<KernelSignature> entries = switch (source.kind()) {
            case BUNDLED -> BundledKernels.contracts();
            case PTX -> parse(source);
            // a cubin or fatbin does not list its kernels' parameters: callers declare them
            case CUBIN, FATBIN -> List.of();
        };
        return new CoreModule(scope, backend.loadModule(source), source, entries);
    }

    private static List<KernelSignature> parse(ModuleSource source) {
        try {
            return PtxEntries.parse(source.ptxText());
        } catch (IllegalArgumentException e) {
            throw new GpuException("cannot load " + source + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public List<KernelSignature> kernels() {
        return entries;
    }

    @Override
    public Kernel kernel(String kernelName) {
        Checks.notNull(kernelName, "name");
        ensureOpen();
        CoreKernel k = kernels.get(kernelName);
        if (k != null) {
            return k;
        }
        k = resolve(kernelName, null);
        kernels.putIfAbsent(kernelName, k);
        return kernels.get(kernelName);
    }

    @Override
    public Kernel kernel(String kernelName, KernelSignature declared) {
        Checks.notNull(kernelName, "name");
        Checks.notNull(declared, "declared");
        ensureOpen();
        return resolve(kernelName, declared);
    }

    /**
     * The one place a kernel's signature is chosen: the caller's declaration (checked against
     * what the module states), else what the module states; a cubin or fatbin states nothing,
     * so its backend must know the parameters itself or refuse.
     */
    private CoreKernel resolve(String kernelName, KernelSignature declared) {
        KernelSignature stated = null;
        for (KernelSignature s : entries) {
            if (s.name().equals(kernelName)) {
                stated = s;
                break;
            }
        }
        if (!entries.isEmpty() && stated == null) {
            throw new IllegalArgumentException("module '" + name + "' has no kernel '" + kernelName + "'; it has "
                    + entries.stream().map(KernelSignature::name).toList());
        }
        if (declared != null && stated != null) {
            // a bundled contract names pointers; compare as the PTX states them (64-bit words)
            KernelSignature ptx = PtxEntries.erase(stated);
            if (!declared.matchesPtx(ptx)) {
                throw new IllegalArgumentException("kernel '" + kernelName + "': declared as " + declared
                        + " but the PTX declares " + ptx);
            }
        }
        ResolvedKernel resolved = new ResolvedKernel(kernelName, declared, fromPtx ? stated : null,
                declared != null ? declared : stated);
        return new CoreKernel(this, kernelName, nat.function(resolved));
    }
}
