package org.jgpu.examples.jmh;

import java.nio.ByteBuffer;
import java.util.Set;
import org.jgpu.DeviceInfo;
import org.jgpu.Dim3;
import org.jgpu.EventOption;
import org.jgpu.HostAllocOption;
import org.jgpu.KernelSignature;
import org.jgpu.MemoryInfo;
import org.jgpu.ModuleSource;
import org.jgpu.StreamOptions;
import org.jgpu.spi.DeviceBackend;
import org.jgpu.spi.NativeEvent;
import org.jgpu.spi.NativeFunction;
import org.jgpu.spi.NativeMemory;
import org.jgpu.spi.NativeModule;
import org.jgpu.spi.NativeStream;
import org.jgpu.spi.ResolvedKernel;

/** The null backend's device: everything it makes does nothing (see {@link NullBackendProvider}). */
final class NullDevice implements DeviceBackend {
    /** What the device reports as its memory; nothing is allocated or counted against it. */
    private static final long MEMORY_BYTES = 1L << 40;

    private final long launchNanos;
    private final DeviceInfo info;
    private final NullStream defaultStream;

    NullDevice(NullSettings settings) {
        this.launchNanos = settings.launchNanos();
        this.info = new DeviceInfo(NullSettings.BACKEND, 0, "jgpu null device (does nothing)", "none", "none",
                MEMORY_BYTES, 2, 1, 1024, new Dim3(1024, 1024, 64), new Dim3(Integer.MAX_VALUE, 65535, 65535),
                48 * 1024, true);
        this.defaultStream = new NullStream(launchNanos);
    }

    /** Memory that holds only its size. */
    record Memory(long size, boolean isHost) implements NativeMemory {
        /** @throws UnsupportedOperationException always: the null backend's memory holds no bytes */
        @Override
        public ByteBuffer hostView() {
            throw new UnsupportedOperationException("the null backend's " + (isHost ? "host" : "device")
                    + " memory holds no bytes: it is for enqueue benchmarks only; read and write buffers on the host backend");
        }

        @Override
        public void free() {
            // nothing was allocated
        }

        @Override
        public void freeAsync(NativeStream stream) {
            // nothing was allocated
        }
    }

    /** An event whose every record has completed: nothing runs before it. */
    static final class Event implements NativeEvent {
        @Override
        public boolean query() {
            return true;
        }

        @Override
        public void synchronize() {
            // complete already
        }

        /** @return 0: no time passes on a device that does nothing */
        @Override
        public long elapsedNanos(NativeEvent start) {
            return 0;
        }

        @Override
        public void destroy() {
            // nothing native
        }
    }

    /** A kernel: only the signature the core resolved, which launches are checked against. */
    record Function(KernelSignature signature) implements NativeFunction {
    }

    /** A module whose kernels are whatever the core resolved: the code is never run. */
    private static final NativeModule MODULE = new NativeModule() {
        /**
         * {@inheritDoc}
         *
         * @throws IllegalArgumentException if the kernel's parameters are unknown (an undeclared
         *         kernel of a cubin or fatbin)
         */
        @Override
        public NativeFunction function(ResolvedKernel kernel) {
            if (kernel.signature() == null) {
                throw new IllegalArgumentException("kernel '" + kernel.name() + "': a cubin or fatbin does not state its "
                        + "parameters and the null backend cannot read them; declare them with KernelModule.kernel(name, signature)");
            }
            return new Function(kernel.signature());
        }

        @Override
        public void unload() {
            // nothing native
        }
    };

    @Override
    public DeviceInfo info() {
        return info;
    }

    @Override
    public MemoryInfo memoryInfo() {
        return new MemoryInfo(MEMORY_BYTES, MEMORY_BYTES);
    }

    @Override
    public NativeStream createStream(StreamOptions options) {
        return new NullStream(launchNanos);
    }

    @Override
    public NativeStream defaultStream() {
        return defaultStream;
    }

    @Override
    public NativeStream perThreadDefaultStream(String name) {
        return new NullStream(launchNanos);
    }

    @Override
    public NativeEvent createEvent(Set<EventOption> options) {
        return new Event();
    }

    @Override
    public NativeMemory allocDevice(long bytes) {
        return new Memory(bytes, false);
    }

    @Override
    public NativeMemory allocHost(long bytes, Set<HostAllocOption> options) {
        return new Memory(bytes, true);
    }

    @Override
    public NativeMemory allocAsync(long bytes, NativeStream stream) {
        return new Memory(bytes, false);
    }

    @Override
    public NativeModule loadModule(ModuleSource source) {
        return MODULE;
    }

    @Override
    public void synchronize() {
        // no work of its own
    }

    @Override
    public void close() {
        // nothing native
    }
}
