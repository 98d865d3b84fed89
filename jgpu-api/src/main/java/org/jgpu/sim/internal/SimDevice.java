package org.jgpu.sim.internal;

import org.jgpu.sim.EngineModel;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.jgpu.DeviceInfo;
import org.jgpu.Dim3;
import org.jgpu.EventOption;
import org.jgpu.GpuOutOfMemoryException;
import org.jgpu.HostAllocOption;
import org.jgpu.MemoryInfo;
import org.jgpu.PeerRoute;
import org.jgpu.ModuleSource;
import org.jgpu.StreamOptions;
import org.jgpu.spi.DeviceBackend;
import org.jgpu.spi.NativeEvent;
import org.jgpu.spi.NativeMemory;
import org.jgpu.spi.NativeModule;
import org.jgpu.trace.Engine;
import org.jgpu.spi.NativeStream;
import java.util.ArrayDeque;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.jgpu.spi.BorrowedStream;
import org.jgpu.AsyncOperationException;
import org.jgpu.StreamFlag;
import org.jgpu.StreamPriorityRange;

/** The simulated device of the host backend: engines, memory accounting, streams. */
public final class SimDevice implements DeviceBackend {
    /** Largest single allocation: Java's direct buffers are indexed by int. */
    static final long MAX_ALLOCATION = Integer.MAX_VALUE;

    private static final String DEVICE_MEMORY = "device memory of the host backend";
    private static final String PINNED_MEMORY = "pinned host memory of the host backend";
    /** Says why a request within the free memory is still refused, and what to do. */
    private static final String ONE_BUFFER_LIMIT = ", whose buffers hold at most " + MAX_ALLOCATION
            + " bytes each (split the data over several buffers)";

    /** The most memory freed in stream order that is kept for reuse. */
    private static final long POOL_MAX_BYTES = 256L << 20;

    private final EngineModel model;
    private final DeviceInfo info;
    private final SimEngine compute;
    private final SimEngine h2d;
    private final SimEngine d2h;
    /** The link to the other devices, which copies between devices hold. */
    private final SimEngine peer = new SimEngine(1, Engine.COPY_PEER);
    private final AtomicLong used = new AtomicLong();
    /** Memory freed in stream order, by size; guarded by itself. */
    private final Map<Long, ArrayDeque<ByteBuffer>> pool = new HashMap<>();
    /** Bytes in the pool; guarded by {@link #pool}. */
    private long pooledBytes;
    private final List<SimStream> streams = new CopyOnWriteArrayList<>();
    private final SimStream defaultStream;
    private volatile boolean defaultUsed;
    /** The fault that lost the device, or null; set once. */
    private final AtomicReference<AsyncOperationException> lost =
            new AtomicReference<>();

    SimDevice(EngineModel model, int ordinal) {
        this.model = model;
        this.info = info(model, ordinal);
        this.compute = new SimEngine(model.concurrentKernels(), Engine.COMPUTE);
        boolean twoCopyEngines = model.copyEngines() == 2;
        this.h2d = twoCopyEngines ? new SimEngine(1, Engine.COPY_H2D) : new SimEngine(1, Engine.COPY_H2D, Engine.COPY_D2H);
        this.d2h = twoCopyEngines ? new SimEngine(1, Engine.COPY_D2H) : h2d;
        this.defaultStream = new SimStream(this, "default", true, true);
    }

    /**
     * @param model the engine model
     * @param ordinal which of the model's devices
     * @return the properties of that simulated device
     */
    static DeviceInfo info(EngineModel model, int ordinal) {
        return new DeviceInfo("host", ordinal, "jgpu host simulator", "host", "simulated",
                model.memoryBytes(), model.copyEngines(), model.concurrentKernels(), 1024, new Dim3(1024, 1024, 64),
                new Dim3(Integer.MAX_VALUE, 65535, 65535), 48 * 1024, true);
    }

    /** @return the engine model this device runs */
    public EngineModel model() {
        return model;
    }

    /**
     * Modelled busy time of an engine so far, for utilization figures.
     *
     * @param engine {@link Engine#COMPUTE}, {@link Engine#COPY_H2D}, {@link Engine#COPY_D2H}
     *        (the two copy directions give the same with one copy engine) or
     *        {@link Engine#COPY_PEER} (copies between devices enqueued on this device's streams)
     * @return nanoseconds the engine was busy, all lanes together
     * @throws IllegalArgumentException for {@link Engine#CPU}, which the device does not model
     */
    public long engineBusyNanos(Engine engine) {
        return switch (engine) {
            case COMPUTE -> compute.busyNanos();
            case COPY_H2D -> h2d.busyNanos();
            case COPY_D2H -> d2h.busyNanos();
            case COPY_PEER -> peer.busyNanos();
            case CPU -> throw new IllegalArgumentException("the simulated device does not model engine '" + engine
                    + "'; ask for COMPUTE, COPY_H2D, COPY_D2H or COPY_PEER");
        };
    }

    /**
     * {@inheritDoc} Simulated devices of one model are linked by its
     * {@linkplain EngineModel#interconnect() interconnect}; there is no access to enable.
     *
     * @throws IllegalArgumentException naming {@code other} if it is not a host device
     */
    @Override
    public PeerRoute peerRoute(DeviceBackend other) {
        if (!(other instanceof SimDevice o)) {
            throw new IllegalArgumentException("the host device " + info.ordinal() + " cannot copy to " + other
                    + " of the " + other.info().backend() + " backend: a device group's contexts are of one backend");
        }
        return o.info.ordinal() == info.ordinal() ? PeerRoute.SAME_DEVICE : model.interconnect().route();
    }

    SimEngine peerEngine() {
        return peer;
    }

    SimEngine computeEngine() {
        return compute;
    }

    SimEngine copyEngine(boolean srcHost, boolean dstHost) {
        if (srcHost && !dstHost) {
            return h2d;
        }
        if (!srcHost && dstHost) {
            return d2h;
        }
        return srcHost ? h2d : compute;
    }

    long copyNanos(boolean srcHost, boolean dstHost, long bytes) {
        if (srcHost && !dstHost) {
            return model.copyNanos(bytes, model.h2dBytesPerSecond());
        }
        if (!srcHost && dstHost) {
            return model.copyNanos(bytes, model.d2hBytesPerSecond());
        }
        return srcHost ? model.copyNanos(bytes, model.h2dBytesPerSecond()) : model.deviceNanos(2 * bytes);
    }

    /** @return every open stream but the default one (callers filter for blocking ones) */
    List<SimStream> streams() {
        return streams;
    }

    SimStream defaultStreamIfUsed() {
        return defaultUsed ? defaultStream : null;
    }

    /**
     * Loses the device, as a sticky error loses a CUDA context: the first fault is kept; every
     * stream drops its queued work and wakes its waiters.
     *
     * @param fault the failed operation and its {@link DeviceFaultException}
     */
    void lose(AsyncOperationException fault) {
        if (lost.compareAndSet(null, fault)) {
            defaultStream.wake();
            for (SimStream s : streams) {
                s.wake();
            }
        }
    }

    /** @return the fault that lost the device, or null while it is not lost */
    AsyncOperationException lostBy() {
        return lost.get();
    }

    /**
     * @param what the stream or call that finds the device lost
     * @return a new exception saying so and naming the fault (a new one per report, as the
     *         caller may add suppressed exceptions to it)
     */
    AsyncOperationException lostError(String what) {
        AsyncOperationException fault = lost.get();
        return new AsyncOperationException(what + " on the host device lost earlier by " + fault.operation()
                + " (close this context and create a new one)", fault.getCause());
    }

    /** @return true once a {@link DeviceFaultException} lost the device */
    public boolean isLost() {
        return lost.get() != null;
    }

    void forget(SimStream s) {
        streams.remove(s);
    }

    void release(long bytes) {
        used.addAndGet(-bytes);
    }

    @Override
    public DeviceInfo info() {
        return info;
    }

    @Override
    public MemoryInfo memoryInfo() {
        long total = model.memoryBytes();
        // reservations and releases keep used in [0, total]; the clamp keeps MemoryInfo's promise regardless
        return new MemoryInfo(Math.max(0, Math.min(total, total - used.get())), total);
    }

    @Override
    public NativeStream createStream(StreamOptions options) {
        String label = options.name() == null ? "stream" : options.name();
        SimStream s = new SimStream(this, label, false, !options.nonBlocking());
        streams.add(s);
        return s;
    }

    @Override
    public NativeStream defaultStream() {
        defaultUsed = true;
        return defaultStream;
    }

    @Override
    public NativeStream perThreadDefaultStream(String name) {
        SimStream s = new SimStream(this, name, false, true);
        streams.add(s);
        return s;
    }

    @Override
    public NativeEvent createEvent(Set<EventOption> options) {
        return new SimEvent(this);
    }

    /**
     * Counts {@code bytes} as used device memory. A request beyond the free memory, or beyond
     * what one buffer can hold, is refused before anything is counted.
     *
     * @throws GpuOutOfMemoryException with the requested and free bytes
     */
    private void reserve(long bytes) {
        long now;
        long free;
        do {
            now = used.get();
            free = model.memoryBytes() - now;
            // compared with what is free, not as now + bytes, which overflows for huge requests
            if (bytes > free) {
                throw new GpuOutOfMemoryException(DEVICE_MEMORY, bytes, free);
            }
            if (bytes > MAX_ALLOCATION) {
                throw new GpuOutOfMemoryException(DEVICE_MEMORY + ONE_BUFFER_LIMIT, bytes, free);
            }
        } while (!used.compareAndSet(now, now + bytes));
    }

    /**
     * {@inheritDoc}
     *
     * @throws GpuOutOfMemoryException if the modelled device has not that much free, one buffer
     *         cannot hold {@code bytes}, or Java's direct memory has not that much free
     */
    @Override
    public NativeMemory allocDevice(long bytes) {
        reserve(bytes);
        return newDeviceMemory(bytes);
    }

    /** A new direct buffer for {@code bytes} already reserved; gives the reservation back if it fails. */
    private SimMemory newDeviceMemory(long bytes) {
        try {
            return new SimMemory(this, allocateDirect(bytes), false);
        } catch (OutOfMemoryError e) {
            used.addAndGet(-bytes);
            throw new GpuOutOfMemoryException("Java direct memory backing the host backend's device memory"
                    + " (raise -XX:MaxDirectMemorySize)", bytes, DirectMemory.free());
        } catch (RuntimeException e) {
            used.addAndGet(-bytes);
            throw e;
        }
    }

    /**
     * {@inheritDoc}
     *
     * @throws GpuOutOfMemoryException if one buffer cannot hold {@code bytes}, or Java's direct
     *         memory has not that much free
     */
    @Override
    public NativeMemory allocHost(long bytes, Set<HostAllocOption> options) {
        if (bytes > MAX_ALLOCATION) {
            throw new GpuOutOfMemoryException(PINNED_MEMORY + ONE_BUFFER_LIMIT, bytes, DirectMemory.free());
        }
        try {
            return new SimMemory(this, allocateDirect(bytes), true);
        } catch (OutOfMemoryError e) {
            throw new GpuOutOfMemoryException("Java direct memory backing the host backend's pinned host memory"
                    + " (raise -XX:MaxDirectMemorySize)", bytes, DirectMemory.free());
        }
    }

    /**
     * {@inheritDoc}
     *
     * @throws GpuOutOfMemoryException if the modelled device has not that much free, one buffer
     *         cannot hold {@code bytes}, or Java's direct memory has not that much free
     */
    @Override
    public NativeMemory allocAsync(long bytes, NativeStream stream) {
        reserve(bytes);
        ByteBuffer reused = null;
        synchronized (pool) {
            ArrayDeque<ByteBuffer> free = pool.get(bytes);
            if (free != null) {
                reused = free.pop();
                pooledBytes -= bytes;
                if (free.isEmpty()) {
                    pool.remove(bytes);
                }
            }
        }
        return reused != null ? new SimMemory(this, reused.clear(), false) : newDeviceMemory(bytes);
    }

    /**
     * A new direct buffer of {@code bytes} (at most {@link #MAX_ALLOCATION}). When Java's direct
     * memory is short, the pool lets go of what it keeps and the allocation is tried once more:
     * the pool is only a cache, and the JVM collects unreachable buffers before it gives up.
     *
     * @throws OutOfMemoryError if direct memory is short even so
     */
    private ByteBuffer allocateDirect(long bytes) {
        try {
            return ByteBuffer.allocateDirect((int) bytes);
        } catch (OutOfMemoryError e) {
            if (!emptyPool()) {
                throw e;
            }
            return ByteBuffer.allocateDirect((int) bytes);
        }
    }

    /** @return true if the pool held anything */
    private boolean emptyPool() {
        synchronized (pool) {
            boolean had = !pool.isEmpty();
            pool.clear();
            pooledBytes = 0;
            return had;
        }
    }

    /**
     * Keeps memory freed in stream order for the next stream-ordered allocation of the same size,
     * as CUDA's memory pools do: a new direct buffer costs a zeroing pass, and churning them
     * makes the JVM collect garbage to stay under its direct-memory limit.
     */
    void recycle(ByteBuffer b) {
        synchronized (pool) {
            if (pooledBytes + b.capacity() <= POOL_MAX_BYTES) {
                pool.computeIfAbsent((long) b.capacity(), k -> new ArrayDeque<>()).push(b);
                pooledBytes += b.capacity();
            }
        }
    }

    @Override
    public NativeModule loadModule(ModuleSource source) {
        return SimModule.INSTANCE;
    }

    @Override
    public void synchronize() {
        defaultStream.synchronize();
        for (SimStream s : streams) {
            s.synchronize();
        }
    }

    /**
     * {@inheritDoc} The handle is the {@code nativeHandle()} of an open stream of a host device
     * (another host context's: each has its own device). A stream of another device does not
     * order with this device's legacy default stream, so it is taken in as non-blocking.
     *
     * @throws IllegalArgumentException naming the handle if no open host stream has it, or it is
     *         a legacy default stream
     */
    @Override
    public BorrowedStream borrowStream(long handle, String name) {
        SimStream s = SimStream.open(handle);
        if (s == null) {
            throw new IllegalArgumentException("no open host stream has handle " + handle + " (to borrow '" + name
                    + "'): pass the nativeHandle() of an open stream, and keep it open while it is borrowed");
        }
        if (s.isDefaultStream()) {
            throw new IllegalArgumentException("host stream handle " + handle + " is a legacy default stream, which "
                    + "cannot be borrowed: use Context.defaultStream() of its own context");
        }
        boolean blocking = s.device() == this && s.isBlocking();
        return new BorrowedStream(s, blocking ? EnumSet.noneOf(StreamFlag.class)
                : EnumSet.of(StreamFlag.NON_BLOCKING));
    }

    @Override
    public long streamHandle(NativeStream stream) {
        return ((SimStream) stream).id();
    }

    /** @return one level, 0: the host backend does not order streams by priority */
    @Override
    public StreamPriorityRange streamPriorityRange() {
        return new StreamPriorityRange(0, 0);
    }

    @Override
    public void close() {
        defaultStream.destroy();
        // a closed context may stay referenced: its pooled memory must not
        emptyPool();
    }
}
