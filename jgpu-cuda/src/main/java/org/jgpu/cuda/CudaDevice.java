package org.jgpu.cuda;

import java.util.Set;
import jcuda.driver.CUcontext;
import jcuda.driver.CUdevice;
import jcuda.driver.CUdevice_attribute;
import org.jgpu.CudaException;
import org.jgpu.DeviceInfo;
import org.jgpu.Dim3;
import org.jgpu.EventOption;
import org.jgpu.GpuOutOfMemoryException;
import org.jgpu.HostAllocOption;
import org.jgpu.MemoryInfo;
import org.jgpu.ModuleSource;
import org.jgpu.StreamFlag;
import org.jgpu.StreamOptions;
import org.jgpu.cuda.driver.Driver;
import org.jgpu.cuda.driver.Memory;
import org.jgpu.cuda.driver.Streams;
import org.jgpu.spi.DeviceBackend;
import org.jgpu.spi.NativeEvent;
import org.jgpu.spi.NativeMemory;
import org.jgpu.spi.NativeModule;
import org.jgpu.spi.NativeStream;

/**
 * A CUDA device opened on its primary context (shared with the runtime API, so cuBLAS works on
 * it). Every entry makes the context current on the calling thread and fails fast once a sticky
 * error has lost the context.
 */
final class CudaDevice implements DeviceBackend {
    private static final ThreadLocal<CUcontext> CURRENT = new ThreadLocal<>();

    final int ordinal;
    private final CUdevice device;
    private final CUcontext context;
    private final DeviceInfo info;
    private final CudaStream legacyDefault;
    private volatile CudaException lost;
    private volatile String lostCause;

    CudaDevice(int ordinal) {
        this.ordinal = ordinal;
        this.device = Driver.device(ordinal);
        this.context = Driver.retainPrimaryContext(device, ordinal);
        bind();
        int v = Driver.driverVersion();
        int cc = attr(CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR);
        int ccMinor = attr(CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR);
        boolean concurrent = attr(CUdevice_attribute.CU_DEVICE_ATTRIBUTE_CONCURRENT_KERNELS) != 0;
        this.info = new DeviceInfo("cuda", ordinal, Driver.deviceName(device, ordinal), cc + "." + ccMinor,
                (v / 1000) + "." + (v % 1000 / 10), Driver.totalMemory(device, ordinal),
                attr(CUdevice_attribute.CU_DEVICE_ATTRIBUTE_ASYNC_ENGINE_COUNT), concurrent ? 128 : 1,
                attr(CUdevice_attribute.CU_DEVICE_ATTRIBUTE_MAX_THREADS_PER_BLOCK),
                new Dim3(attr(CUdevice_attribute.CU_DEVICE_ATTRIBUTE_MAX_BLOCK_DIM_X),
                        attr(CUdevice_attribute.CU_DEVICE_ATTRIBUTE_MAX_BLOCK_DIM_Y),
                        attr(CUdevice_attribute.CU_DEVICE_ATTRIBUTE_MAX_BLOCK_DIM_Z)),
                new Dim3(attr(CUdevice_attribute.CU_DEVICE_ATTRIBUTE_MAX_GRID_DIM_X),
                        attr(CUdevice_attribute.CU_DEVICE_ATTRIBUTE_MAX_GRID_DIM_Y),
                        attr(CUdevice_attribute.CU_DEVICE_ATTRIBUTE_MAX_GRID_DIM_Z)),
                attr(CUdevice_attribute.CU_DEVICE_ATTRIBUTE_MAX_SHARED_MEMORY_PER_BLOCK), false);
        this.legacyDefault = new CudaStream(this, Streams.legacyDefault(), "default", true);
    }

    private int attr(int attribute) {
        return Driver.attribute(device, attribute, ordinal);
    }

    /** Makes this device's context current on the calling thread, once per thread. */
    void bind() {
        if (CURRENT.get() != context) {
            Driver.setCurrent(context);
            CURRENT.set(context);
        }
    }

    /**
     * Every entry's first call: fails fast on a lost context, then binds it.
     *
     * @throws CudaException if a sticky error lost the context earlier
     */
    void enter() {
        CudaException l = lost;
        if (l != null) {
            throw new CudaException(l.errorName(), l.code(), "device " + ordinal + ": the context was lost earlier by "
                    + lostCause + "; close this context and create a new one", true);
        }
        bind();
    }

    /**
     * Notes a failure: a sticky one loses the context for every later call.
     *
     * @param e the failure
     * @param likely what most likely caused it, for the message
     * @return the exception to throw
     */
    CudaException failed(CudaException e, String likely) {
        if (e.isSticky() && lost == null) {
            lostCause = likely == null ? e.operation() : likely;
            lost = e;
            runWhenLost();
        }
        return e;
    }

    boolean isLost() {
        return lost != null;
    }

    @Override
    public DeviceInfo info() {
        return info;
    }

    @Override
    public MemoryInfo memoryInfo() {
        enter();
        long[] m = Driver.memoryInfo();
        return new MemoryInfo(m[0], m[1]);
    }

    @Override
    public NativeStream createStream(StreamOptions options) {
        enter();
        int[] range = Driver.streamPriorityRange();
        int priority = Math.max(range[1], Math.min(range[0], options.priority()));
        return new CudaStream(this, Streams.create(options.flags().contains(StreamFlag.NON_BLOCKING), priority, options.name()),
                options.name(), false);
    }

    @Override
    public NativeStream defaultStream() {
        return legacyDefault;
    }

    @Override
    public NativeStream perThreadDefaultStream(String name) {
        return new CudaStream(this, Streams.perThreadDefault(), name, true);
    }

    @Override
    public NativeEvent createEvent(Set<EventOption> options) {
        enter();
        return new CudaEvent(this, Streams.createEvent(options.contains(EventOption.TIMING),
                options.contains(EventOption.BLOCKING_SYNC)));
    }

    @Override
    public NativeMemory allocDevice(long bytes) {
        enter();
        try {
            return CudaMemory.device(this, Memory.alloc(bytes), bytes, false);
        } catch (CudaException e) {
            throw outOfMemory(e, bytes, "device memory of device " + ordinal);
        }
    }

    @Override
    public NativeMemory allocHost(long bytes, Set<HostAllocOption> options) {
        enter();
        try {
            return CudaMemory.host(this, Memory.allocHost(bytes, options.contains(HostAllocOption.PORTABLE),
                    options.contains(HostAllocOption.MAPPED), options.contains(HostAllocOption.WRITE_COMBINED)), bytes);
        } catch (CudaException e) {
            throw outOfMemory(e, bytes, "pinned host memory");
        }
    }

    @Override
    public NativeMemory allocAsync(long bytes, NativeStream stream) {
        enter();
        CudaStream s = (CudaStream) stream;
        try {
            return CudaMemory.device(this, Memory.allocAsync(bytes, s.handle, s), bytes, true);
        } catch (CudaException e) {
            throw outOfMemory(e, bytes, "the stream-ordered memory pool of device " + ordinal);
        }
    }

    private RuntimeException outOfMemory(CudaException e, long bytes, String what) {
        if (Driver.isOutOfMemory(e.code())) {
            long free = -1;
            try {
                free = Driver.memoryInfo()[0];
            } catch (CudaException ignored) {
                // the free count is a courtesy; the allocation failure is the news
            }
            GpuOutOfMemoryException oom = new GpuOutOfMemoryException(what, bytes, free);
            oom.initCause(e);
            return oom;
        }
        return failed(e, null);
    }

    @Override
    public NativeModule loadModule(ModuleSource source) {
        enter();
        return CudaModule.load(this, source);
    }

    @Override
    public void synchronize() {
        enter();
        try {
            Driver.synchronizeContext();
        } catch (CudaException e) {
            throw failed(e, null);
        }
    }

    @Override
    public void close() {
        // a lost context must be reset, or no new context can be created on the device
        try {
            if (lost != null) {
                Driver.resetPrimaryContext(device, ordinal);
            }
        } finally {
            Driver.releasePrimaryContext(device, ordinal);
        }
    }

    @Override
    public String toString() {
        return "device " + ordinal + " (" + info.name() + ")";
    }

    // ---- BEGIN device-loss hooks: a minimal stand-in on the 'lost' field above; the device-loss
    // ---- implementation (every jgpu context of the device) replaces this block.
    private final java.util.Queue<Runnable> lostActions = new java.util.concurrent.ConcurrentLinkedQueue<>();

    /**
     * Runs {@code action} once when this device is found lost; at once on the calling thread if
     * it already is.
     *
     * @param action what to run; it must not block
     */
    void whenLost(Runnable action) {
        lostActions.add(action);
        if (lost != null) {
            runWhenLost();
        }
    }

    /** @return the sticky error that lost the device, or null */
    CudaException lostError() {
        return lost;
    }

    private void runWhenLost() {
        Runnable r;
        while ((r = lostActions.poll()) != null) {
            r.run();
        }
    }
    // ---- END device-loss hooks
}
