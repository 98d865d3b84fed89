package org.jgpu.cuda;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import jcuda.driver.CUfunction;
import jcuda.driver.CUmodule;
import org.jgpu.BundledKernels;
import org.jgpu.CudaException;
import org.jgpu.GpuException;
import org.jgpu.KernelSignature;
import org.jgpu.ModuleSource;
import org.jgpu.cuda.driver.Modules;
import org.jgpu.spi.NativeFunction;
import org.jgpu.spi.NativeModule;
import org.jgpu.spi.PtxEntries;

/**
 * A loaded CUDA module. Parameters come from the PTX {@code .entry} declarations; the bundled
 * kernels use their contracts (which also say which buffers they read and write); kernels of
 * cubin and fatbin images need the caller's declaration.
 */
final class CudaModule implements NativeModule {
    private final CudaDevice device;
    private final CUmodule handle;
    private final String description;
    private final List<KernelSignature> entries;
    private final boolean bundled;

    /** A kernel handle and the signature launches are checked against. */
    record Function(CUfunction handle, KernelSignature signature) implements NativeFunction {
    }

    private CudaModule(CudaDevice device, CUmodule handle, String description, List<KernelSignature> entries,
            boolean bundled) {
        this.device = device;
        this.handle = handle;
        this.description = description;
        this.entries = entries;
        this.bundled = bundled;
    }

    static CudaModule load(CudaDevice device, ModuleSource source) {
        String ptx;
        boolean bundled = source.kind() == ModuleSource.Kind.BUNDLED;
        if (bundled) {
            ptx = bundledPtx();
        } else {
            ptx = source.ptxText();
        }
        try {
            if (ptx != null) {
                List<KernelSignature> entries;
                try {
                    entries = PtxEntries.parse(ptx);
                } catch (IllegalArgumentException e) {
                    throw new GpuException("cannot load " + source + ": " + e.getMessage(), e);
                }
                return new CudaModule(device, Modules.loadPtx(ptx, source), source.description(), entries, bundled);
            }
            return new CudaModule(device, Modules.loadImage(source.imageBytes(), source), source.description(), List.of(),
                    false);
        } catch (CudaException e) {
            throw device.failed(e, null);
        }
    }

    static String bundledPtx() {
        try (InputStream in = CudaModule.class.getClassLoader().getResourceAsStream(BundledKernels.PTX_RESOURCE)) {
            if (in == null) {
                throw new GpuException("the bundled PTX " + BundledKernels.PTX_RESOURCE + " is missing from the class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + BundledKernels.PTX_RESOURCE, e);
        }
    }

    @Override
    public List<KernelSignature> entries() {
        return entries;
    }

    @Override
    public NativeFunction function(String name, KernelSignature declared) {
        KernelSignature fromPtx = entries.stream().filter(s -> s.name().equals(name)).findFirst().orElse(null);
        KernelSignature signature;
        if (declared != null) {
            if (fromPtx != null && !declared.matchesPtx(fromPtx)) {
                throw new IllegalArgumentException("kernel '" + name + "': declared as " + declared + " but the PTX declares "
                        + fromPtx);
            }
            signature = declared;
        } else if (bundled && BundledKernels.contract(name) != null) {
            signature = BundledKernels.contract(name);
        } else if (fromPtx != null) {
            signature = fromPtx;
        } else {
            throw new IllegalArgumentException("kernel '" + name + "' of " + description + ": a cubin or fatbin does not "
                    + "state parameter types; call module.kernel(name, KernelSignature.of(...)) to declare them, or load the PTX");
        }
        device.enter();
        try {
            return new Function(Modules.function(handle, name), signature);
        } catch (CudaException e) {
            throw new IllegalArgumentException("module '" + description + "' has no kernel '" + name + "': "
                    + e.getMessage(), e);
        }
    }

    @Override
    public void unload() {
        if (!device.isLost()) {
            device.bind();
            Modules.unload(handle);
        }
    }
}
