package org.jgpu.internal;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jgpu.Kernel;
import org.jgpu.KernelSignature;
import org.jgpu.Module;
import org.jgpu.spi.NativeModule;

/** The one implementation of {@link Module}. */
final class CoreModule implements Module {
    final CoreContext ctx;
    private final NativeModule nat;
    private final String name;
    private final Handle handle;
    private final Map<String, CoreKernel> kernels = new ConcurrentHashMap<>();

    CoreModule(CoreContext ctx, NativeModule nat, String name) {
        this.ctx = ctx;
        this.nat = nat;
        this.name = name;
        this.handle = Handle.track(this, Handle.Kind.MODULE, "module '" + name + "' of " + ctx.name(), nat::unload, ctx,
                Handle.OnLeak.WARN);
    }

    void ensureOpen() {
        if (ctx.isClosed()) {
            throw new IllegalStateException("module '" + name + "' is closed (its context " + ctx.name() + " was closed)");
        }
        if (handle.isClosed()) {
            throw new IllegalStateException("module '" + name + "' of " + ctx.name() + " is closed");
        }
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

    @Override
    public boolean isOpen() {
        return !ctx.isClosed() && !handle.isClosed();
    }

    @Override
    public void close() {
        if (handle.markClosed()) {
            handle.release();
        }
    }

    @Override
    public String toString() {
        return "module '" + name + "'";
    }
}
