package org.jgpu.internal;

import org.jgpu.Kernel;
import org.jgpu.KernelArgs;
import org.jgpu.KernelSignature;
import org.jgpu.KernelModule;
import org.jgpu.spi.NativeFunction;
import org.jgpu.spi.OpKind;

/** The one implementation of {@link Kernel}. */
final class CoreKernel implements Kernel {
    final CoreModule module;
    final NativeFunction function;
    /** Names a launch in hazard records and timelines ({@code launch <name>}); made once. */
    final OpName launchName;
    /** The argument rules of a bundled kernel launched by its contract, else null; found once. */
    final BundledArguments.Rules bundledRules;
    private final String name;

    CoreKernel(CoreModule module, String name, NativeFunction function) {
        this.module = module;
        this.name = name;
        this.function = function;
        this.launchName = new OpName(OpKind.LAUNCH, name);
        this.bundledRules = BundledArguments.of(module.name(), function.signature());
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public KernelSignature signature() {
        return function.signature();
    }

    @Override
    public KernelModule module() {
        return module;
    }

    @Override
    public KernelArgs args() {
        return new CoreKernelArgs(this);
    }

    @Override
    public String toString() {
        return "kernel '" + name + "' " + signature();
    }
}
