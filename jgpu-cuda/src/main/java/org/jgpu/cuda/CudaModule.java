package org.jgpu.cuda;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import jcuda.Pointer;
import jcuda.driver.CUfunction;
import jcuda.driver.CUmodule;
import org.jgpu.BundledKernels;
import org.jgpu.CudaException;
import org.jgpu.GpuException;
import org.jgpu.KernelSignature;
import org.jgpu.ModuleSource;
import org.jgpu.cuda.driver.Modules;
import org.jgpu.spi.DevicePointer;
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

    /**
     * A kernel handle, the signature launches are checked against, and its argument slots,
     * made once: a launch writes each scalar into its slot instead of allocating.
     */
    static final class Function implements NativeFunction {
        private final CUfunction handle;
        private final KernelSignature signature;
        private final Object[] holders;
        private final Pointer[] fixed;
        private final Pointer[] slots;
        private final Pointer params;

        Function(CUfunction handle, KernelSignature signature) {
            this.handle = handle;
            this.signature = signature;
            int n = signature.params().size();
            holders = new Object[n];
            fixed = new Pointer[n];
            for (int i = 0; i < n; i++) {
                switch (signature.params().get(i).type()) {
                    case B8: holders[i] = new byte[1]; fixed[i] = Pointer.to((byte[]) holders[i]); break;
                    case B16: holders[i] = new short[1]; fixed[i] = Pointer.to((short[]) holders[i]); break;
                    case B32: holders[i] = new int[1]; fixed[i] = Pointer.to((int[]) holders[i]); break;
                    case F32: holders[i] = new float[1]; fixed[i] = Pointer.to((float[]) holders[i]); break;
                    case F64: holders[i] = new double[1]; fixed[i] = Pointer.to((double[]) holders[i]); break;
                    default: holders[i] = new long[1]; fixed[i] = Pointer.to((long[]) holders[i]); break;
                }
            }
            slots = fixed.clone();
            // JCuda reads the slots at each call; a kernel without parameters gets NULL, as in C
            params = n == 0 ? null : Pointer.to(slots);
        }

        CUfunction handle() {
            return handle;
        }

        @Override
        public KernelSignature signature() {
            return signature;
        }

        /**
         * Writes the arguments into the slots. Called with the context's enqueue lock held, so
         * launches of one context never marshal concurrently; the driver copies the values at
         * the launch.
         *
         * @return the kernel-parameter pointer for {@code cuLaunchKernel}
         */
        Pointer marshal(Object[] args) {
            for (int i = 0; i < args.length; i++) {
                Object a = args[i];
                if (a instanceof DevicePointer) {
                    DevicePointer p = (DevicePointer) a;
                    slots[i] = Pointer.to(((CudaMemory) p.memory()).deviceAt(p.offset()));
                    continue;
                }
                slots[i] = fixed[i];
                if (a instanceof Integer) {
                    ((int[]) holders[i])[0] = (Integer) a;
                } else if (a instanceof Float) {
                    ((float[]) holders[i])[0] = (Float) a;
                } else if (a instanceof Long) {
                    ((long[]) holders[i])[0] = (Long) a;
                } else if (a instanceof Double) {
                    ((double[]) holders[i])[0] = (Double) a;
                } else if (a instanceof Short) {
                    ((short[]) holders[i])[0] = (Short) a;
                } else {
                    ((byte[]) holders[i])[0] = (Byte) a;
                }
            }
            return params;
        }
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
