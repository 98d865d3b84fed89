package org.jgpu.internal;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jgpu.Kernel;
import org.jgpu.KernelSignature;
import org.jgpu.Module;
import org.jgpu.spi.NativeModule;

/** The one implementation of {@link Module}. */
final class CoreModule extends CoreResource implements Module {
    private final NativeModule nat;
    private final String name;
    private final Map<String, CoreKernel> kernels = new ConcurrentHashMap<>();

    CoreModule(Scope scope, NativeModule nat, String name) {
        super(scope, "module '" + name + "'", Handle.Kind.MODULE, nat::unload, Handle.OnLeak.WARN);
        this.nat = nat;
        this.name = name;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public List<KernelSignature> kernels() {
        return nat.entries();
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

    private CoreKernel resolve(String kernelName, KernelSignature declared) {
        List<KernelSignature> entries = nat.entries();
        if (!entries.isEmpty() && entries.stream().noneMatch(s -> s.name().equals(kernelName))) {
            throw new IllegalArgumentException("module '" + name + "' has no kernel '" + kernelName + "'; it has "
                    + entries.stream().map(KernelSignature::name).toList());
        }
        return new CoreKernel(this, kernelName, nat.function(kernelName, declared));
    }

}
