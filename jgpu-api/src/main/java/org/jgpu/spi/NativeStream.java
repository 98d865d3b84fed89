package org.jgpu.spi;

import java.nio.ByteBuffer;
import org.jgpu.LaunchConfig;

/**
 * A backend's stream. Enqueue calls return at once; arguments are already checked.
 *
 * <p>The core calls one stream's enqueue methods one at a time, in the order it recorded the
 * operations, but calls different streams of one backend from several threads at once (a copy,
 * fill or launch is handed over after the context's lock is released): what streams share
 * (a kernel's argument buffer, a device's queues) must be safe for that.
 */
public interface NativeStream {

    /**
     * Enqueues a copy between two allocations.
     *
     * @param src source memory
     * @param srcOffset byte offset in src
     * @param dst destination memory
     * @param dstOffset byte offset in dst
     * @param bytes bytes to copy
     * @param tag what this is, for error messages
     */
    void copy(NativeMemory src, long srcOffset, NativeMemory dst, long dstOffset, long bytes, OpTag tag);

    /**
     * Enqueues a copy between device memory of this stream's device and device memory of another
     * device of the same backend, by the route {@link DeviceBackend#peerRoute} gave for the pair
     * (which the core has asked before, so peer access is enabled where it is possible).
     *
     * @param src source device memory, of this stream's device or the other one
     * @param srcOffset byte offset in src
     * @param dst destination device memory, of the other device or this stream's
     * @param dstOffset byte offset in dst
     * @param bytes bytes to copy
     * @param tag what this is ({@link OpKind#COPY_PEER}), for error messages
     * @throws UnsupportedOperationException if the backend cannot copy between devices (the default)
     */
    default void copyPeer(NativeMemory src, long srcOffset, NativeMemory dst, long dstOffset, long bytes, OpTag tag) {
        throw new UnsupportedOperationException("this backend cannot copy between devices (" + tag + ")");
    }

    /**
     * Copies between the Java heap and memory, synchronously: waits for earlier work on the
     * stream, copies, then returns.
     *
     * @param heap heap bytes (position to limit)
     * @param memory the allocation
     * @param offset byte offset in memory
     * @param toMemory true for heap to memory, false for memory to heap
     * @param tag what this is, for error messages
     */
    void copyHeap(ByteBuffer heap, NativeMemory memory, long offset, boolean toMemory, OpTag tag);

    /**
     * Called under the caller's enqueue lock, in stream order, right before {@link #copyHeap} on
     * the same thread; copyHeap ends what it began, also when it throws. A backend whose heap
     * copy is several driver calls holds back other threads' enqueues on this stream until then,
     * so that none lands between them. Between the two calls the caller takes no lock that a
     * thread enqueuing on this stream may hold.
     */
    default void beginHeapCopy() {
    }

    /**
     * Ends what {@link #beginHeapCopy} began where {@link #copyHeap} will not be called after all
     * (the enqueue failed after beginHeapCopy).
     */
    default void endHeapCopy() {
    }

    /**
     * Enqueues a fill with a 1- or 4-byte pattern.
     *
     * @param dst memory
     * @param offset byte offset
     * @param bytes bytes to set (a multiple of patternBytes)
     * @param pattern the pattern in the low bits
     * @param patternBytes 1 or 4
     * @param tag what this is, for error messages
     */
    void fill(NativeMemory dst, long offset, long bytes, int pattern, int patternBytes, OpTag tag);

    /**
     * Enqueues a kernel.
     *
     * @param function the kernel
     * @param config grid, block, shared memory (within the device's limits)
     * @param args one per parameter: {@link DevicePointer} for pointers, boxed scalars of the
     *             parameter's exact type otherwise; the array may be the caller's, valid during
     *             this call only (a backend that runs the launch later keeps a copy)
     * @param tag what this is, for error messages
     */
    void launch(NativeFunction function, LaunchConfig config, Object[] args, OpTag tag);

    /**
     * Records an event at the current end of the stream.
     *
     * @param event the event
     */
    void record(NativeEvent event);

    /**
     * Makes later work wait for the event's latest record.
     *
     * @param event a recorded event of this device, or of another device of the same backend
     *              (CUDA orders streams across devices with events)
     */
    void waitEvent(NativeEvent event);

    /**
     * Runs {@code action} on a backend thread once earlier work is done. The action only hands
     * off to an executor: it never blocks and never calls the backend.
     *
     * <p>The backend runs the action exactly once: after the stream's earlier work, or, if that
     * never comes, as soon as the device is found lost or the stream is destroyed (CUDA, for one,
     * does not run host functions after a context error: a backend on it keeps its pending
     * actions and runs them itself). After a loss {@link #peekError()} reports the fault, so the
     * action's future fails naming it. A call made when the device is lost already runs the
     * action at once (on the calling thread, or a backend thread) rather than throwing.
     *
     * @param action the hand-off
     */
    void hostCallback(Runnable action);

    /**
     * @return true if all enqueued work is done
     * @throws org.jgpu.AsyncOperationException if enqueued work failed (reported once)
     */
    boolean query();

    /**
     * Blocks until all enqueued work is done.
     *
     * @throws org.jgpu.AsyncOperationException if enqueued work failed (reported once)
     */
    void synchronize();

    /**
     * @return the failure of enqueued work not reported yet, or, once the device is lost, an
     *         {@link org.jgpu.AsyncOperationException} naming the fault that lost it; else null.
     *         Does not clear it.
     */
    RuntimeException peekError();

    /** Starts capturing the stream's copies, fills and launches instead of running them. */
    void beginCapture();

    /**
     * Ends the capture.
     *
     * @return the captured work
     */
    NativeGraph endCapture();

    /**
     * Ends a capture whose graph is not wanted (its body failed): the captured work is dropped
     * without being made launchable.
     *
     * @throws RuntimeException if the capture cannot be ended (it was invalidated, say); the
     *         stream no longer captures either way
     */
    default void abortCapture() {
        endCapture().destroy();
    }

    /** @return the priority the device gave the stream (the requested one, clamped) */
    int priority();

    /** Destroys the stream (its work is done). */
    void destroy();
}
