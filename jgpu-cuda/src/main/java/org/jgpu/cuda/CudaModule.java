package org.jgpu.cuda;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import jcuda.Pointer;
import jcuda.driver.CUfunction;
import jcuda.driver.CUmodule;
import org.jgpu.BundledKernels;
import org.jgpu.GpuException;
import org.jgpu.KernelSignature;
import org.jgpu.ModuleSource;
import org.jgpu.ParamType;
import org.jgpu.cuda.driver.Modules;
import org.jgpu.spi.DevicePointer;
import org.jgpu.spi.NativeFunction;
import org.jgpu.spi.NativeModule;
import org.jgpu.spi.PtxEntries;

/**
 * A loaded CUDA module. Parameters come from the PTX {@code .entry} declarations; the bundled
 * kernels use their contracts (which also say which buffers they read and write) and load from
 * their fatbin (falling back to their PTX); kernels of cubin and fatbin images need the caller's
 * declaration.
 */
final class CudaModule implements NativeModule {
    private final CudaDevice device;
    private final CUmodule handle;
    private final String description;
    private final List<KernelSignature> entries;
    private final boolean bundled;

    /**
     * A kernel handle, the signature launches are checked against, and its argument buffer,
     * made once: one direct buffer with a slot per parameter at an offset aligned to its size.
     * A launch writes each value (a scalar, or a buffer's device address) into its slot, so it
     * allocates nothing for scalars, and JCuda passes the driver addresses inside that buffer
     * (no {@code GetPrimitiveArrayCritical} region around {@code cuLaunchKernel}, which could
     * stall the GC while the launch waits for room in a full queue).
     */
    static final class Function implements NativeFunction {
        private final CUfunction handle;
        private final KernelSignature signature;
        private final ByteBuffer values;
        private final int[] offsets;
        private final Pointer params;

        Function(CUfunction handle, KernelSignature signature) {
            this.handle = handle;
            this.signature = signature;
            int n = signature.params().size();
            offsets = new int[n];
            int end = 0;
            for (int i = 0; i < n; i++) {
                int size = bytes(signature.params().get(i).type());
                int at = (end + size - 1) / size * size;
                offsets[i] = at;
                end = at + size;
            }
            values = ByteBuffer.allocateDirect(Math.max(8, end)).order(ByteOrder.nativeOrder());
            Pointer base = Pointer.to(values);
            Pointer[] slots = new Pointer[n];
            for (int i = 0; i < n; i++) {
                slots[i] = base.withByteOffset(offsets[i]);
            }
            // a kernel without parameters gets NULL, as in C
            params = n == 0 ? null : Pointer.to(slots);
        }

        /** Bytes of a parameter of this type: pointers are 64-bit addresses. */
        static int bytes(ParamType type) {
            switch (type) {
                case B8: return 1;
                case B16: return 2;
                case B32: case F32: return 4;
                default: return 8;
            }
        }

        CUfunction handle() {
            return handle;
        }

        @Override
        public KernelSignature signature() {
            return signature;
        }

        /** @return the byte offset of parameter {@code i}'s slot in {@link #values()} */
        int offset(int i) {
            return offsets[i];
        }

        /** @return the argument buffer the slots point into */
        ByteBuffer values() {
            return values;
        }

        /**
         * Writes the arguments into their slots. Called with the context's enqueue lock held, so
         * launches of one context never marshal concurrently; the driver copies the values at
         * the launch.
         *
         * @return the kernel-parameter pointer for {@code cuLaunchKernel}
         */
        Pointer marshal(Object[] args) {
            for (int i = 0; i < args.length; i++) {
                Object a = args[i];
                int at = offsets[i];
                if (a instanceof DevicePointer) {
                    DevicePointer p = (DevicePointer) a;
                    values.putLong(at, Modules.address(((CudaMemory) p.memory()).deviceAt(p.offset())));
                } else if (a instanceof Integer) {
                    values.putInt(at, (Integer) a);
                } else if (a instanceof Float) {
                    values.putFloat(at, (Float) a);
                } else if (a instanceof Long) {
                    values.putLong(at, (Long) a);
                } else if (a instanceof Double) {
                    values.putDouble(at, (Double) a);
                } else if (a instanceof Short) {
                    values.putShort(at, (Short) a);
                } else {
                    values.put(at, (Byte) a);
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
        boolean bundled = source.kind() == ModuleSource.Kind.BUNDLED;
        String ptx = bundled ? bundledPtx() : source.ptxText();
        try {
            if (ptx != null) {
                List<KernelSignature> entries;
                try {
                    entries = PtxEntries.parse(ptx);
                } catch (IllegalArgumentException e) {
                    throw new GpuException("cannot load " + source + ": " + e.getMessage(), e);
                }
                CUmodule handle = bundled ? loadBundled(ptx, source) : Modules.loadPtx(ptx, source);
                return new CudaModule(device, handle, source.description(), entries, bundled);
            }
            return new CudaModule(device, Modules.loadImage(source.imageBytes(), source), source.description(), List.of(),
                    false);
        } catch (CudaException e) {
            throw device.failed(e, null);
        }
    }

    /**
     * Loads the bundled fatbin: SASS for sm_80 and sm_90 loads without a JIT compile, other
     * GPUs JIT its PTX. If the driver refuses the image (e.g. a driver older than the toolkit
     * that wrote the SASS, or one that cannot read its compression), the PTX is loaded instead;
     * a sticky error is not retried. Parameter types always come from the PTX.
     */
    private static CUmodule loadBundled(String ptx, ModuleSource source) {
        byte[] fatbin = bundledFatbin();
        CudaException refused = null;
        if (fatbin != null) {
            try {
                return Modules.loadImage(fatbin, BundledBinaries.FATBIN_RESOURCE);
            } catch (CudaException e) {
                if (e.isSticky()) {
                    throw e;
                }
                refused = e;
            }
        }
        try {
            return Modules.loadPtx(ptx, source);
        } catch (CudaException e) {
            if (refused != null) {
                e.addSuppressed(refused);
            }
            throw e;
        }
    }

    static String bundledPtx() {
        byte[] bytes = resource(BundledBinaries.PTX_RESOURCE);
        if (bytes == null) {
            throw new GpuException("the bundled PTX " + BundledBinaries.PTX_RESOURCE + " is missing from the class path");
        }
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** @return the bundled fatbin, or null if it is not on the class path (then the PTX is used) */
    static byte[] bundledFatbin() {
        return resource(BundledBinaries.FATBIN_RESOURCE);
    }

    private static byte[] resource(String name) {
        try (InputStream in = CudaModule.class.getClassLoader().getResourceAsStream(name)) {
            return in == null ? null : in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + name, e);
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
