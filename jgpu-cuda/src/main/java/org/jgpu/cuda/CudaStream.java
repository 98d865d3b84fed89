package org.jgpu.cuda;

import java.nio.ByteBuffer;
import java.util.concurrent.locks.ReentrantLock;
import jcuda.driver.CUgraph;
import jcuda.driver.CUstream;
import org.jgpu.AsyncOperationException;
import org.jgpu.LaunchConfig;
import org.jgpu.cuda.driver.Events;
import org.jgpu.cuda.driver.Graphs;
import org.jgpu.cuda.driver.Driver;
import org.jgpu.cuda.driver.Memory;
import org.jgpu.cuda.driver.Modules;
import org.jgpu.cuda.driver.Peers;
import org.jgpu.cuda.driver.Streams;
import org.jgpu.spi.NativeEvent;
import org.jgpu.spi.NativeFunction;
import org.jgpu.spi.NativeGraph;
import org.jgpu.spi.NativeMemory;
import org.jgpu.spi.NativeStream;
import org.jgpu.spi.OpKind;
import org.jgpu.spi.OpTag;

/**
 * A CUDA stream. Remembers the tags of its recent operations, so that an asynchronous error
 * found at a later query or synchronize names the operation that most likely caused it.
 */
final class CudaStream implements NativeStream {
    private static final int RECENT = 32;

    final CUstream handle;
    private final CudaDevice device;
    private final String name;
    /** The legacy or a per-thread default stream: the driver owns it. */
    private final boolean builtIn;
    private final OpTag[] recent = new OpTag[RECENT];
    private long count;
    private volatile RuntimeException error;
    /** The device's callbacks the driver has not called yet. */
    private final CudaCallbacks callbacks;
    /**
     * Orders the driver calls of enqueues from several threads: a heap copy holds it from
     * {@link #beginHeapCopy} (under the context's lock, in stream order) to the end of
     * {@link #copyHeap}; every other enqueue on this stream takes it around its driver call.
     */
    private final ReentrantLock order = new ReentrantLock();

    CudaStream(CudaDevice device, CUstream handle, String name, boolean builtIn) {
        this.device = device;
        this.handle = handle;
        this.name = name;
        this.builtIn = builtIn;
        this.callbacks = CudaCallbacks.of(device);
    }

    CudaDevice device() {
        return device;
    }

    private synchronized void note(OpTag tag) {
        recent[(int) (count++ % RECENT)] = tag;
    }

    /** @return the operation that most likely failed: the latest launch among recent ones, else the latest */
    synchronized String likelyCause() {
        if (count == 0) {
            return "no operation recorded on stream '" + name + "'";
        }
        int seen = (int) Math.min(count, RECENT);
        for (int i = 1; i <= seen; i++) {
            OpTag t = recent[(int) ((count - i) % RECENT)];
            if (t.kind() == OpKind.LAUNCH) {
                return t + " (the latest kernel before the failure)";
            }
        }
        return recent[(int) ((count - 1) % RECENT)] + " (the latest operation before the failure)";
    }

    private RuntimeException failed(CudaException e) {
        return device.failed(e, likelyCause());
    }

    /**
     * A driver call on a stream. The calls on the enqueue and query paths pass what they need as
     * {@code s} and {@code a} and capture nothing, so each lambda is one constant instance: no
     * allocation per call.
     */
    @FunctionalInterface
    private interface DriverCall<A, T> {
        T run(CudaStream s, A a);
    }

    /** cuStreamSynchronize of the stream passed. */
    private static final DriverCall<Void, Void> SYNCHRONIZE = (s, a) -> {
        Streams.synchronize(s.handle, s);
        return null;
    };

    /**
     * Runs a driver call on this stream, its {@link CudaException} becoming this stream's
     * failure (naming the likely operation), the one translation of every call but three:
     * {@link #copy}, {@link #fill} and {@link #launch} keep their own {@code try}, since a
     * lambda would have to capture their arguments and allocate at every enqueue.
     */
    private <A, T> T driver(DriverCall<A, T> call, A a) {
        try {
            return call.run(this, a);
        } catch (CudaException e) {
            throw failed(e);
        }
    }

    /** {@link #driver} for a call that enqueues: in order with a heap copy of another thread. */
    private <A> void enqueue(DriverCall<A, Void> call, A a) {
        order.lock();
        try {
            driver(call, a);
        } finally {
            order.unlock();
        }
    }

    /**
     * Runs a driver call that reports the stream's earlier work (query, synchronize): its error
     * is that work's, so it becomes this stream's asynchronous failure.
     */
    private <T> T awaitDriver(DriverCall<Void, T> call) {
        try {
            return call.run(this, null);
        } catch (CudaException e) {
            throw asyncFailure(e);
        }
    }

    private RuntimeException asyncFailure(CudaException e) {
        device.failed(e, likelyCause());
        AsyncOperationException a = new AsyncOperationException(likelyCause(), e);
        error = a;
        return a;
    }

    @Override
    public void copy(NativeMemory src, long srcOffset, NativeMemory dst, long dstOffset, long bytes, OpTag tag) {
        device.enter();
        note(tag);
        CudaMemory s = (CudaMemory) src;
        CudaMemory d = (CudaMemory) dst;
        order.lock();
        try {
            if (s.isHost() && !d.isHost()) {
                Memory.copyHtoDAsync(d.deviceAt(dstOffset), s.hostAt(srcOffset), bytes, handle, this);
            } else if (!s.isHost() && d.isHost()) {
                Memory.copyDtoHAsync(d.hostAt(dstOffset), s.deviceAt(srcOffset), bytes, handle, this);
            } else {
                Memory.copyAsync(d.deviceAt(dstOffset), s.deviceAt(srcOffset), bytes, handle, this);
            }
        } catch (CudaException e) {
            throw failed(e);
        } finally {
            order.unlock();
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>One {@code cuMemcpyPeerAsync} with the two devices' primary contexts, for either route:
     * where the devices have peer access ({@link org.jgpu.PeerRoute#PEER}) the driver copies
     * between them directly; where they do not ({@link org.jgpu.PeerRoute#STAGED}) it stages the
     * copy through host memory itself (the CUDA Programming Guide, "Peer-to-Peer Memory Copy":
     * only with peer access enabled does the copy between two devices not need to be staged
     * through the host). Either way the copy is ordered on this stream.
     *
     * @throws CudaException if the other device was lost (naming it), or the copy cannot be
     *         enqueued (a sticky error loses this stream's device)
     */
    @Override
    public void copyPeer(NativeMemory src, long srcOffset, NativeMemory dst, long dstOffset, long bytes, OpTag tag) {
        device.enter();
        CudaMemory s = (CudaMemory) src;
        CudaMemory d = (CudaMemory) dst;
        // the driver would report the other device's loss as this call's error, blaming this device
        (s.device() == device ? d : s).device().checkNotLost();
        note(tag);
        order.lock();
        try {
            Peers.copyAsync(d.deviceAt(dstOffset), d.device().context(), s.deviceAt(srcOffset), s.device().context(), bytes,
                    handle, this);
        } catch (CudaException e) {
            throw failed(e);
        } finally {
            order.unlock();
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>Device memory is copied on this stream's own handle, through pinned staging memory, in
     * chunks: each chunk is an async copy ordered after the stream's earlier work, then a
     * synchronize of this stream alone. (A plain {@code cuMemcpyHtoD} runs on the legacy stream:
     * it would wait for every blocking stream, break captures on other threads, and for pageable
     * memory may return before the copy is done.)
     */
    @Override
    public void beginHeapCopy() {
        order.lock();
    }

    @Override
    public void endHeapCopy() {
        if (order.isHeldByCurrentThread()) {
            order.unlock();
        }
    }

    @Override
    public void copyHeap(ByteBuffer heap, NativeMemory memory, long offset, boolean toMemory, OpTag tag) {
        order.lock();   // held already after beginHeapCopy; taken here for a caller without it
        try {
            copyHeapInOrder(heap, memory, offset, toMemory, tag);
        } finally {
            order.unlock();
            endHeapCopy();   // ends what beginHeapCopy began
        }
    }

    private void copyHeapInOrder(ByteBuffer heap, NativeMemory memory, long offset, boolean toMemory, OpTag tag) {
        device.enter();
        note(tag);
        CudaMemory m = (CudaMemory) memory;
        long bytes = heap.remaining();
        if (m.isHost()) {
            synchronize();   // the host touches the pinned memory itself: after the stream's work
            ByteBuffer v = m.hostView().position((int) offset).limit((int) (offset + bytes)).slice();
            if (toMemory) {
                v.put(heap.duplicate());
            } else {
                heap.duplicate().put(v);
            }
        } else {
            // this lambda captures, but a heap copy waits for its staged chunks: nothing beside that
            driver((s, a) -> {
                HeapStaging.copy(s, device.staging(), heap, m, offset, toMemory);
                return null;
            }, null);
        }
    }

    /** Waits for this stream alone, reporting an error of its work as asynchronous. */
    void synchronizeForCopy() {
        awaitDriver(SYNCHRONIZE);
    }

    @Override
    public void fill(NativeMemory dst, long offset, long bytes, int pattern, int patternBytes, OpTag tag) {
        device.enter();
        note(tag);
        CudaMemory d = (CudaMemory) dst;
        order.lock();
        try {
            if (patternBytes == 1) {
                Memory.setD8Async(d.deviceAt(offset), (byte) pattern, bytes, handle, this);
            } else {
                Memory.setD32Async(d.deviceAt(offset), pattern, bytes / 4, handle, this);
            }
        } catch (CudaException e) {
            throw failed(e);
        } finally {
            order.unlock();
        }
    }

    @Override
    public void launch(NativeFunction function, LaunchConfig config, Object[] args, OpTag tag) {
        device.enter();
        note(tag);
        CudaModule.Function f = (CudaModule.Function) function;
        int[] grid = {config.grid().x(), config.grid().y(), config.grid().z()};
        int[] block = {config.block().x(), config.block().y(), config.block().z()};
        order.lock();
        try {
            CudaModule.Function.Fields fields = f.marshal(args);
            try {
                Modules.launch(f.handle(), grid, block, config.sharedMemoryBytes(), handle, fields.params(), tag);
            } finally {
                f.release(fields);
            }
        } catch (CudaException e) {
            throw failed(e);
        } finally {
            order.unlock();
        }
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalArgumentException if the event is of another device: {@code cuEventRecord}
     *         needs the event and the stream in one context
     */
    @Override
    public void record(NativeEvent event) {
        device.enter();
        CudaEvent e = (CudaEvent) event;
        if (e.device().ordinal != device.ordinal) {
            throw new IllegalArgumentException("record: the event is of " + e.device() + " but " + this + " is of " + device
                    + "; record an event of the stream's own device");
        }
        enqueue((s, ev) -> {
            Events.record(ev.handle, s.handle, s);
            return null;
        }, e);
    }

    /**
     * {@inheritDoc}
     *
     * <p>The event may be of another device: {@code cuStreamWaitEvent} orders streams across
     * devices and contexts. This stream's device's context is current for the call.
     *
     * @throws CudaException if the event's device was lost (naming it), or the wait cannot be
     *         enqueued
     */
    @Override
    public void waitEvent(NativeEvent event) {
        device.enter();
        CudaEvent e = (CudaEvent) event;
        // the driver would report the event's device's loss as this call's error, blaming this device
        e.device().checkNotLost();
        enqueue((s, ev) -> {
            Streams.waitEvent(s.handle, ev.handle, s);
            return null;
        }, e);
    }

    /**
     * {@inheritDoc}
     *
     * <p>A stream callback (which the driver calls also after a device error, with the error as
     * its status), kept in the device's pending set as well: a loss, a destroy or the watchdog
     * runs it if the driver does not. The driver's thread runs the hand-off directly: one hop to
     * the executor.
     */
    @Override
    public void hostCallback(Runnable action) {
        if (device.isLost()) {
            action.run();   // the driver would never call it; peekError names the loss
            return;
        }
        device.enter();
        CudaCallbacks.Pending p = callbacks.add(this, action);
        order.lock();
        try {
            Streams.addCallback(handle, (h, status, userData) -> {
                if (!Streams.succeeded(status)) {
                    // the driver's thread: no CUDA call (cuGetErrorName) to name the status
                    asyncFailure(Driver.errorFromCallback(status, "stream callback on " + this));
                }
                callbacks.run(p);
            }, this);
        } catch (CudaException e) {
            RuntimeException f = failed(e);
            if (device.isLost()) {
                callbacks.run(p);   // the loss path: its future fails naming the loss
            } else {
                callbacks.cancel(p);   // never enqueued and not to run: the caller gets the failure
            }
            throw f;
        } finally {
            order.unlock();
        }
        if (device.isLost()) {
            callbacks.run(p);   // lost between the check above and now: the loss may have run before p was added
        }
    }

    @Override
    public boolean query() {
        device.enter();
        return awaitDriver((s, a) -> Streams.query(s.handle, s));
    }

    @Override
    public void synchronize() {
        device.enter();
        awaitDriver(SYNCHRONIZE);
    }

    @Override
    public RuntimeException peekError() {
        RuntimeException e = error;
        if (e != null) {
            return e;
        }
        CudaException lost = device.lostError();
        return lost == null ? null : new AsyncOperationException("work on " + this + " (the device was lost)", lost);
    }

    @Override
    public void beginCapture() {
        device.enter();
        driver((s, a) -> {
            Streams.beginCapture(s.handle, s);
            return null;
        }, null);
    }

    @Override
    public NativeGraph endCapture() {
        device.enter();
        CUgraph g = driver((s, a) -> Streams.endCapture(s.handle, s), null);
        return CudaGraph.instantiate(device, g);
    }

    /** Ends a capture and destroys its graph without instantiating it. */
    @Override
    public void abortCapture() {
        device.enter();
        driver((s, a) -> {
            Graphs.destroy(Streams.endCapture(s.handle, s), null);
            return null;
        }, null);
    }

    @Override
    public int priority() {
        device.enter();
        return Streams.priority(handle, this);
    }

    @Override
    public void destroy() {
        try {
            if (!device.isLost()) {
                device.bind();
                if (!builtIn) {
                    Streams.destroy(handle, this);
                }
            }
        } finally {
            if (device.isLost()) {
                callbacks.runStream(this);   // the driver will not call them any more
            }
            // otherwise cuStreamDestroy returned at once and the driver still runs the stream's
            // remaining work, callbacks included, each when its work is done
        }
    }

    /**
     * Runs a driver call that enqueues on this stream from outside this class (a graph launch,
     * the block pool's stream-ordered allocations, frees and events) in order with a heap copy
     * of another thread.
     *
     * @param call the call
     */
    void inOrder(Runnable call) {
        order.lock();
        try {
            call.run();
        } finally {
            order.unlock();
        }
    }

    @Override
    public String toString() {
        return "stream '" + name + "'";
    }
}
