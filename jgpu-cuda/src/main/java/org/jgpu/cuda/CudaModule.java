package org.jgpu.cuda;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import jcuda.Pointer;
import jcuda.driver.CUfunction;
import jcuda.driver.CUmodule;
import org.jgpu.GpuException;
import org.jgpu.KernelSignature;
import org.jgpu.ModuleSource;
import org.jgpu.cuda.driver.Modules;
import org.jgpu.spi.DevicePointer;
import org.jgpu.spi.NativeFunction;
import org.jgpu.spi.NativeModule;
import org.jgpu.spi.ResolvedKernel;

/**
 * A loaded CUDA module. The core resolves each kernel's parameters (from the PTX, the bundled
 * kernels' contracts, which also say which buffers they read and write, or the caller's
 * declaration); the bundled kernels load from their fatbin, falling back to their PTX.
 */
final class CudaModule implements NativeModule {
    private final CudaDevice device;
    private final CUmodule handle;
    private final String description;

    /**
     * A kernel handle, the signature launches are checked against, and its argument buffers:
     * each one direct buffer with a field per parameter at an offset aligned to its size, made
     * when a launch finds none free and kept for the next. A launch writes each value (a scalar,
     * or a buffer's device address) into its fields, so it allocates nothing for scalars, and
     * JCuda passes the driver addresses inside that buffer (no {@code GetPrimitiveArrayCritical}
     * region around {@code cuLaunchKernel}, which could stall the GC while the launch waits for
     * room in a full queue). Launches on several streams at once each have buffers of their own.
     */
    static final class Function implements NativeFunction {
        private final CUfunction handle;
        private final KernelSignature signature;
        private final int[] offsets;
        private final int bytes;
        /** Argument buffers no launch is using; guarded by itself. */
        private final ArrayDeque<Fields> idle = new ArrayDeque<>();

        /** One launch's argument buffer and the kernel-parameter pointer into it. */
        static final class Fields {
            private final ByteBuffer values;
            private final Pointer params;

            private Fields(int bytes, int[] offsets) {
                values = ByteBuffer.allocateDirect(Math.max(8, bytes)).order(ByteOrder.nativeOrder());
                Pointer base = Pointer.to(values);
                Pointer[] fields = new Pointer[offsets.length];
                for (int i = 0; i < offsets.length; i++) {
                    fields[i] = base.withByteOffset(offsets[i]);
                }
                // a kernel without parameters gets NULL, as in C
                params = offsets.length == 0 ? null : Pointer.to(fields);
            }

            /** @return the argument buffer the fields point into */
            ByteBuffer values() {
                return values;
            }

            /** @return the kernel-parameter pointer for {@code cuLaunchKernel} */
            Pointer params() {
                return params;
            }
        }

        Function(CUfunction handle, KernelSignature signature) {
            this.handle = handle;
            this.signature = signature;
            int n = signature.params().size();
            offsets = new int[n];
            int end = 0;
            for (int i = 0; i < n; i++) {
                int size = signature.params().get(i).type().bytes();   // pointers are 64-bit addresses
                int at = (end + size - 1) / size * size;
                offsets[i] = at;
                end = at + size;
            }
            bytes = end;
        }

        CUfunction handle() {
            return handle;
        }

        @Override
        public KernelSignature signature() {
            return signature;
        }

        /** @return the byte offset of parameter {@code i}'s field in {@link Fields#values()} */
        int offset(int i) {
            return offsets[i];
        }

        /**
         * Writes the arguments into an argument buffer of their own; the driver copies the values
         * at the launch, after which {@link #release} gives the buffer back.
         *
         * @return the buffer, for {@code cuLaunchKernel}
         */
        Fields marshal(Object[] args) {
            Fields f;
            synchronized (idle) {
                f = idle.poll();
            }
            if (f == null) {
                f = new Fields(bytes, offsets);
            }
            ByteBuffer values = f.values;
            for (int i = 0; i < args.length; i++) {
                Object a = args[i];
                int at = offsets[i];
                if (a instanceof DevicePointer p) {
                    values.putLong(at, Modules.address(((CudaMemory) p.memory()).deviceAt(p.offset())));
                } else if (a instanceof Integer v) {
                    values.putInt(at, v);
                } else if (a instanceof Float v) {
                    values.putFloat(at, v);
                } else if (a instanceof Long v) {
                    values.putLong(at, v);
                } else if (a instanceof Double v) {
                    values.putDouble(at, v);
                } else if (a instanceof Short v) {
                    values.putShort(at, v);
                } else {
                    values.put(at, (Byte) a);
                }
            }
            return f;
        }

        /** @param f a buffer from {@link #marshal}, whose launch was made (or failed) */
        void release(Fields f) {
            synchronized (idle) {
                idle.push(f);
            }
        }
    }

    private CudaModule(CudaDevice device, CUmodule handle, String description) {
        this.device = device;
        this.handle = handle;
        this.description = description;
    }

    static CudaModule load(CudaDevice device, ModuleSource source) {
        try {
            CUmodule handle = switch (source.kind()) {
                case BUNDLED -> loadBundled(bundledPtx(), source);
                case PTX -> Modules.loadPtx(source.ptxText(), source);
                case CUBIN, FATBIN -> Modules.loadImage(source.imageBytes(), source);
            };
            return new CudaModule(device, handle, source.description());
        } catch (CudaException e) {
            throw device.failed(e, null);
        }
    }

    /**
     * Loads the bundled fatbin: SASS for sm_80 and sm_90 loads without a JIT compile, other
     * GPUs JIT its PTX. If the driver refuses the image (e.g. a driver older than the toolkit
     * that wrote the SASS, or one that cannot read its compression), the PTX is loaded instead;
     * a sticky error is not retried.
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
    public NativeFunction function(ResolvedKernel kernel) {
        String name = kernel.name();
        if (kernel.signature() == null) {
            throw new IllegalArgumentException("kernel '" + name + "' of " + description + ": a cubin or fatbin does not "
                    + "state parameter types; call module.kernel(name, KernelSignature.of(...)) to declare them, or load the PTX");
        }
        device.enter();
        try {
            return new Function(Modules.function(handle, name), kernel.signature());
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
