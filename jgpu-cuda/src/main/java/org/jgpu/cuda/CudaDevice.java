package org.jgpu.cuda;

import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import jcuda.driver.CUcontext;
import jcuda.driver.CUdevice;
import jcuda.driver.CUdevice_attribute;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUevent;
import jcuda.driver.CUstream;
import org.jgpu.DeviceInfo;
import org.jgpu.EventOption;
import org.jgpu.GpuOutOfMemoryException;
import org.jgpu.HostAllocOption;
import org.jgpu.MemoryInfo;
import org.jgpu.ModuleSource;
import org.jgpu.PeerRoute;
import org.jgpu.StreamFlag;
import org.jgpu.StreamOptions;
import org.jgpu.StreamPriorityRange;
import org.jgpu.cuda.driver.Events;
import org.jgpu.cuda.driver.Driver;
import org.jgpu.cuda.driver.Memory;
import org.jgpu.cuda.driver.StreamInterop;
import org.jgpu.cuda.driver.Streams;
import org.jgpu.spi.BorrowedStream;
import org.jgpu.spi.DeviceBackend;
import org.jgpu.spi.NativeEvent;
import org.jgpu.spi.NativeMemory;
import org.jgpu.spi.NativeModule;
import org.jgpu.spi.NativeStream;

/**
 * A jgpu context's view of a CUDA device: its {@link PrimaryContext}, shared with every other
 * jgpu context on the device and with the runtime API (so cuBLAS works on it). Every entry makes
 * the context current on the calling thread and fails fast once a sticky error, seen by this or
 * any other jgpu context of the device, has lost the context.
 */
final class CudaDevice implements DeviceBackend {
    final int ordinal;
    private final PrimaryContext primary;
    private final DeviceLoss.Watchers watchers;
    private final CudaStream legacyDefault;
    private final AtomicBoolean closed = new AtomicBoolean();

    /**
     * @param ordinal the device ordinal
     * @throws CudaException if the device cannot be opened (nothing is kept), or if its context
     *         was lost earlier (naming the fault)
     */
    CudaDevice(int ordinal) {
        this.ordinal = ordinal;
        this.primary = PrimaryContext.open(ordinal);
        // nothing below calls the driver or can fail: a half-made device keeps no user count
        this.watchers = primary.loss.join();
        this.legacyDefault = new CudaStream(this, Streams.legacyDefault(), "default", true);
    }

    /**
     * Makes this device's context current on the calling thread unless it already is (asked of
     * the driver each time: other code on the thread may have changed it).
     */
    void bind() {
        Driver.makeCurrent(primary.context);
    }

    /**
     * Every entry's first call: fails fast on a lost context, then binds it.
     *
     * @throws CudaException if a sticky error lost the device's context earlier, naming it
     */
    void enter() {
        checkNotLost();
        bind();
    }

    /**
     * Fails fast on a lost context without binding it: for a device whose memory or event a call
     * of another device's stream uses (that call's driver error would be blamed on the stream's
     * device).
     *
     * @throws CudaException if a sticky error lost the device's context earlier, naming it
     */
    void checkNotLost() {
        if (primary.loss.error() != null) {
            throw primary.loss.failFast();
        }
    }

    /** @return the device's primary context, which every jgpu context of the device uses */
    CUcontext context() {
        return primary.context;
    }

    /** @return the driver's handle of the device */
    CUdevice cuDevice() {
        return primary.device;
    }

    /**
     * Notes a failure: a sticky one loses the context for every later call of every jgpu
     * context of the device, and runs their {@link #whenLost} actions.
     *
     * @param e the failure
     * @param likely what most likely caused it, for the message
     * @return the exception to throw
     */
    CudaException failed(CudaException e, String likely) {
        primary.loss.mark(e, likely);
        return e;
    }

    /** @return true once the device's context is lost: handles are then left to the process's end */
    boolean isLost() {
        return primary.loss.error() != null;
    }

    /**
     * Runs action once, when this device's context is found lost (by this or any other jgpu
     * context of the device); at once, on the calling thread, if it already is. Otherwise it runs
     * on the thread that found the loss (which may be another context's): keep it short, hand
     * longer work to an executor. An action that throws is logged. Registrations are dropped
     * when this device closes: an action registered after close runs at once if the device is
     * lost, and is dropped otherwise.
     *
     * @param action what to run
     * @return unregisters the action (idempotent, cheap; does nothing once the action ran)
     * @throws NullPointerException if action is null
     */
    Runnable whenLost(Runnable action) {
        return watchers.add(action);
    }

    /** @return the sticky error that lost the context, or null */
    CudaException lostError() {
        return primary.loss.error();
    }

    @Override
    public DeviceInfo info() {
        return primary.info;
    }

    @Override
    public MemoryInfo memoryInfo() {
        enter();
        return Driver.memoryInfo();
    }

    @Override
    public NativeStream createStream(StreamOptions options) {
        enter();
        int priority = Driver.streamPriorityRange().clamp(options.priority());
        return new CudaStream(this, Streams.create(options.flags().contains(StreamFlag.NON_BLOCKING), priority, options.name()),
                options.name(), false);
    }

    @Override
    public NativeStream defaultStream() {
        return legacyDefault;
    }

    /**
     * {@inheritDoc}
     *
     * <p>An ordinary blocking stream made for the calling thread ({@code cuStreamCreate}, flags
     * 0: ordered with the legacy default stream as CUDA's per-thread stream is), not
     * {@code CU_STREAM_PER_THREAD}: that handle means the stream of whichever thread passes it,
     * and the library waits on, records on and calls back from a thread's default stream on
     * other threads.
     */
    @Override
    public NativeStream perThreadDefaultStream(String name) {
        enter();
        return new CudaStream(this, Streams.create(false, 0, name), name, false);
    }

    /**
     * {@inheritDoc} See {@link PeerAccess#route}.
     *
     * @throws IllegalArgumentException if other is not a device of the cuda backend
     * @throws CudaException if either device was lost, or a driver call fails otherwise
     */
    @Override
    public PeerRoute peerRoute(DeviceBackend other) {
        return PeerAccess.route(this, PeerAccess.cudaDevice(other, this));
    }

    @Override
    public NativeEvent createEvent(Set<EventOption> options) {
        enter();
        return new CudaEvent(this, Events.create(options.contains(EventOption.TIMING),
                options.contains(EventOption.BLOCKING_SYNC)));
    }

    @Override
    public NativeMemory allocDevice(long bytes) {
        enter();
        try {
            // from the stream-ordered allocator, so that freeing it does not synchronize the device
            return CudaMemory.device(this, blocks().allocate(bytes, null), bytes, false);
        } catch (CudaException e) {
            throw outOfMemory(e, bytes, "device memory of device " + ordinal);
        }
    }

    @Override
    public NativeMemory allocHost(long bytes, Set<HostAllocOption> options) {
        PinnedAllocation.checkSize(bytes, "device " + ordinal);   // before JCuda, which cannot wrap more
        enter();
        boolean portable = options.contains(HostAllocOption.PORTABLE);
        boolean mapped = options.contains(HostAllocOption.MAPPED);
        boolean writeCombined = options.contains(HostAllocOption.WRITE_COMBINED);
        try {
            // the driver does not zero pinned memory; the API promises zeros
            return PinnedAllocation.pinZeroed(bytes, "device " + ordinal,
                    b -> CudaMemory.host(this, Memory.allocHost(b, portable, mapped, writeCombined), b),
                    CudaMemory::hostView, CudaMemory::free);
        } catch (CudaException e) {
            throw outOfMemory(e, bytes, "pinned host memory");
        }
    }

    @Override
    public NativeMemory allocAsync(long bytes, NativeStream stream) {
        enter();
        CudaStream s = (CudaStream) stream;
        try {
            return CudaMemory.device(this, blocks().allocate(bytes, s), bytes, true);
        } catch (CudaException e) {
            throw outOfMemory(e, bytes, "the stream-ordered memory pool of device " + ordinal);
        }
    }

    private RuntimeException outOfMemory(CudaException e, long bytes, String what) {
        if (Driver.isOutOfMemory(e.code())) {
            long free = -1;
            try {
                free = Driver.memoryInfo().freeBytes();
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
        // the caller has synchronized each of its streams: what is left is this device's own
        // allocator stream (cuCtxSynchronize would wait for every context on the device)
        enter();
        try {
            if (blocks != null) {
                blockOps.settle();
            }
        } catch (CudaException e) {
            throw failed(e, null);
        }
    }

    /** Pinned chunks for heap copies, shared by the device's streams; freed at close. */
    private final StagingPool<HeapStaging.Chunk> staging = new StagingPool<>(HeapStaging.OPS);

    /** @return the device's pool of pinned staging chunks for heap copies */
    StagingPool<HeapStaging.Chunk> staging() {
        return staging;
    }

    /** The watchdog's stream (non-blocking, never captured), made at the first probe; guarded by probeLock. */
    private CUstream probeStream;
    private final Object probeLock = new Object();

    /**
     * For the callback watchdog: asks the driver whether the context is lost, with a query of a
     * stream of this device that nothing else uses. A sticky error is the context's, so any
     * stream shows it; a stream the application uses might be capturing a graph, and a query
     * of it (or of the legacy stream while a blocking stream captures) would invalidate the
     * capture. Only a sticky error is acted on (it loses the device); any other result is the
     * probe stream's own and says nothing about anyone's work.
     *
     * @return true if the device is lost (found now or earlier)
     */
    boolean probe() {
        synchronized (probeLock) {
            if (isLost()) {
                return true;
            }
            if (closed.get()) {
                return false;
            }
            try {
                bind();
                if (probeStream == null) {
                    probeStream = Streams.create(true, 0, "watchdog probe");
                }
                Streams.query(probeStream, "the watchdog's probe stream");
            } catch (CudaException e) {
                if (e.isSticky()) {
                    failed(e, "work on " + this + " (found by the callback watchdog)");
                }
            }
            return isLost();
        }
    }

    /** Unpins the staging chunks (here, not under any lock of the core); a lost context's reset frees them instead. */
    private void closeStaging() {
        if (isLost()) {
            return;
        }
        bind();
        staging.close();
    }

    /** Destroys the watchdog's stream, if made; a lost context's reset frees it instead. */
    private void closeProbe() {
        synchronized (probeLock) {
            CUstream s = probeStream;
            probeStream = null;
            if (s != null && !isLost()) {
                bind();
                Streams.destroy(s, "the watchdog's probe stream");
            }
        }
    }

    /**
     * Forgets this jgpu context: drops its {@link #whenLost} actions. Touches no driver handle;
     * the primary context stays retained for the other contexts and the JVM's life.
     */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            try {
                try {
                    closeMemory();
                } finally {
                    try {
                        closeProbe();
                    } finally {
                        closeStaging();
                    }
                }
            } finally {
                watchers.close();
                primary.detach();
            }
        }
    }

    /**
     * {@inheritDoc} The stream must belong to this device's primary context. It is wrapped as
     * a stream the driver owns, so it is never destroyed here. {@code 0} and
     * {@code CU_STREAM_LEGACY} (the legacy default stream) and {@code CU_STREAM_PER_THREAD} are
     * refused: they are the context's default stream, not a stream to borrow.
     *
     * @throws IllegalArgumentException naming the handle if it is a default stream, unknown to
     *         the driver, or of another context
     */
    @Override
    public BorrowedStream borrowStream(long handle, String name) {
        if (handle == 0 || handle == StreamInterop.LEGACY
                || handle == StreamInterop.PER_THREAD) {
            throw new IllegalArgumentException("stream handle 0x" + Long.toHexString(handle) + " (to borrow '" + name
                    + "') is " + (handle == StreamInterop.PER_THREAD ? "CU_STREAM_PER_THREAD"
                            : "the legacy default stream") + ", not a stream to borrow: use Context.defaultStream() "
                    + "(ContextOptions.defaultStream(DefaultStreamMode.LEGACY or PER_THREAD))");
        }
        enter();
        CUstream s = StreamInterop.stream(handle);
        String what = "stream handle 0x" + Long.toHexString(handle);
        boolean nonBlocking;
        try {
            CUcontext owner = StreamInterop.context(s, what);
            if (!owner.equals(primary.context)) {
                throw new IllegalArgumentException(what + " (to borrow '" + name + "') belongs to another CUDA context, "
                        + "not device " + ordinal + "'s primary context (the one the runtime API uses)");
            }
            nonBlocking = StreamInterop.nonBlocking(s, what);
        } catch (CudaException e) {
            if (e.isSticky()) {
                throw failed(e, null);
            }
            throw new IllegalArgumentException(what + " (to borrow '" + name + "') is not a stream the driver knows: "
                    + e.getMessage(), e);
        }
        return new BorrowedStream(new CudaStream(this, s, name, true),
                nonBlocking ? EnumSet.of(StreamFlag.NON_BLOCKING) : EnumSet.noneOf(StreamFlag.class));
    }

    @Override
    public long streamHandle(NativeStream stream) {
        return StreamInterop.address(((CudaStream) stream).handle);
    }

    /** @return from {@code cuCtxGetStreamPriorityRange} */
    @Override
    public StreamPriorityRange streamPriorityRange() {
        enter();
        return Driver.streamPriorityRange();
    }

    @Override
    public String toString() {
        return "device " + ordinal + " (" + primary.info.name() + ")";
    }

    /** Cached device memory is at most this share of the device's memory, and at most 1 GiB. */
    private static final int POOL_SHARE = 16;

    /** The device's reuse pool for device memory, made on first use. */
    private volatile BlockPool<CUdeviceptr, CudaStream, CUevent> blocks;
    private CudaBlocks blockOps;

    private BlockPool<CUdeviceptr, CudaStream, CUevent> blocks() {
        BlockPool<CUdeviceptr, CudaStream, CUevent> b = blocks;
        if (b == null) {
            synchronized (this) {
                b = blocks;
                if (b == null) {
                    blockOps = new CudaBlocks(this, Driver.attribute(primary.device,
                            CUdevice_attribute.CU_DEVICE_ATTRIBUTE_MEMORY_POOLS_SUPPORTED, ordinal) != 0);
                    b = new BlockPool<>(blockOps, Math.min(1L << 30, primary.info.totalMemoryBytes() / POOL_SHARE));
                    blocks = b;
                }
            }
        }
        return b;
    }

    /**
     * Gives a block of device memory back to the reuse pool.
     *
     * @param block the memory
     * @param bytes its requested size
     * @param stream the stream that orders the free, or null if nothing uses the memory any more
     * @throws CudaException if the free cannot be enqueued
     */
    void releaseBlock(CUdeviceptr block, long bytes, CudaStream stream) {
        try {
            blocks().release(block, bytes, stream);
        } catch (CudaException e) {
            throw failed(e, null);
        }
    }

    /** Frees the cached device memory and the allocator stream; a lost context's reset frees them instead. */
    private void closeMemory() {
        BlockPool<CUdeviceptr, CudaStream, CUevent> b = blocks;
        if (b == null || isLost()) {
            return;
        }
        bind();
        try {
            b.close();
        } finally {
            blockOps.close();
        }
    }
}
