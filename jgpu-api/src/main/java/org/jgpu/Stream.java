package org.jgpu;

import java.time.Duration;
import java.util.EnumSet;
import java.util.concurrent.CompletableFuture;

/**
 * An in-order queue of device work. Every operation returns once enqueued; work on one stream
 * runs in order, work on different streams may overlap unless an {@link Event} orders it.
 *
 * <pre>{@code
 * upload.copy(host, dev);
 * compute.waitFor(upload.record());            // compute starts after the copy
 * compute.launch(kernel, LaunchConfig.forElements(n), dev, n);
 * while (!compute.query()) doOtherWork();      // non-blocking poll
 * }</pre>
 *
 * <p>Copies between {@link HostBuffer}s and {@link DeviceBuffer}s are asynchronous, and so are
 * {@code upload} and {@code download} of Java arrays ({@link ArrayCopies}), which stage the
 * values through pinned memory. {@code copy} from or to a Java array is synchronous (the array
 * may move), as CUDA does with pageable memory: it waits for the stream, copies, then returns.
 *
 * <p>Thread-safe. Closing a stream waits for its work.
 */
public interface Stream extends ArrayCopies, AutoCloseable {

    /** @return the name, for messages */
    String name();

    /** @return the context the stream belongs to */
    Context context();

    /** @return the options it was created with */
    StreamOptions options();

    /** @return the priority the device gave the stream: the requested one, clamped to its range */
    int priority();

    /**
     * The backend's handle of the stream, for code outside jgpu to enqueue on it (with
     * {@code cudaStream_t}/{@code CUstream} APIs) or for {@link Context#borrowStream(long, String)}
     * in another context. Work enqueued on the handle by other code is not seen by the hazard
     * checker: order it with jgpu's work by synchronizing or with events.
     *
     * @return on CUDA the {@code CUstream} address (for the legacy default stream
     *         {@code CU_STREAM_LEGACY}, 1; a per-thread default stream is a stream of its own,
     *         not {@code CU_STREAM_PER_THREAD}); on the host backend an opaque id
     * @throws IllegalStateException if the stream is closed
     */
    long nativeHandle();

    /** @return whether jgpu owns the native stream, borrowed it, or it is a default stream */
    StreamOwnership ownership();

    /**
     * Copies all of {@code src} into {@code dst}, which must be the same size.
     *
     * <p>Either buffer may be a device buffer of another context of this stream's
     * {@link DeviceGroup}: the copy then moves between devices, by the route
     * {@link DeviceGroup#route} reports (peer, or staged through host memory).
     *
     * @param src source buffer
     * @param dst destination buffer
     * @throws IllegalArgumentException if sizes differ, or a buffer belongs to another context
     *         and is not a device buffer of this stream's device group, or neither belongs to
     *         this stream's context
     * @throws HazardException in {@link HazardMode#CHECK} if the copy races with other work
     * @throws IllegalStateException if the stream or a buffer is closed
     */
    void copy(Buffer src, Buffer dst);

    /**
     * Copies {@code bytes} bytes from {@code src} at {@code srcOffset} to {@code dst} at
     * {@code dstOffset}.
     *
     * @param src source buffer
     * @param srcOffset byte offset in src
     * @param dst destination buffer
     * @param dstOffset byte offset in dst
     * @param bytes bytes to copy, at least 0
     * <p>As {@link #copy(Buffer, Buffer)}, it may move bytes between devices of one
     * {@link DeviceGroup}.
     *
     * @throws IndexOutOfBoundsException if a range falls outside its buffer
     * @throws IllegalArgumentException if a buffer belongs to another context and is not a
     *         device buffer of this stream's device group, or neither belongs to this stream's
     *         context
     * @throws HazardException in {@link HazardMode#CHECK} if the copy races with other work
     * @throws IllegalStateException if the stream or a buffer is closed
     */
    void copy(Buffer src, long srcOffset, Buffer dst, long dstOffset, long bytes);

    /**
     * Synchronous copy from the Java heap into the start of {@code dst}.
     *
     * @param src values
     * @param dst destination, at least {@code src.length * 4} bytes
     * @throws IndexOutOfBoundsException if dst is too small
     * @throws IllegalStateException if the stream or dst is closed
     */
    void copy(float[] src, Buffer dst);

    /**
     * Synchronous copy into the Java heap from the start of {@code src}.
     *
     * @param src source, at least {@code dst.length * 4} bytes
     * @param dst values
     * @throws IndexOutOfBoundsException if src is too small
     * @throws IllegalStateException if the stream or src is closed
     */
    void copy(Buffer src, float[] dst);

    /**
     * Synchronous copy from the Java heap into the start of {@code dst}.
     *
     * @param src values
     * @param dst destination, at least {@code src.length * 4} bytes
     * @throws IndexOutOfBoundsException if dst is too small
     * @throws IllegalStateException if the stream or dst is closed
     */
    void copy(int[] src, Buffer dst);

    /**
     * Synchronous copy into the Java heap from the start of {@code src}.
     *
     * @param src source, at least {@code dst.length * 4} bytes
     * @param dst values
     * @throws IndexOutOfBoundsException if src is too small
     * @throws IllegalStateException if the stream or src is closed
     */
    void copy(Buffer src, int[] dst);

    /**
     * Synchronous copy from the Java heap into the start of {@code dst}.
     *
     * @param src bytes
     * @param dst destination, at least {@code src.length} bytes
     * @throws IndexOutOfBoundsException if dst is too small
     * @throws IllegalStateException if the stream or dst is closed
     */
    void copy(byte[] src, Buffer dst);

    /**
     * Synchronous copy into the Java heap from the start of {@code src}.
     *
     * @param src source, at least {@code dst.length} bytes
     * @param dst bytes
     * @throws IndexOutOfBoundsException if src is too small
     * @throws IllegalStateException if the stream or src is closed
     */
    void copy(Buffer src, byte[] dst);

    /**
     * Sets every byte of {@code dst}.
     *
     * @param dst the buffer
     * @param value the byte
     * @throws HazardException in {@link HazardMode#CHECK} if it races with other work
     * @throws IllegalStateException if the stream or dst is closed
     */
    void fill(DeviceBuffer dst, byte value);

    /**
     * Sets every 32-bit word of {@code dst}.
     *
     * @param dst the buffer; its size and its offset in its allocation (a slice's start) must be
     *     multiples of 4
     * @param value the word
     * @throws IllegalArgumentException if the size or the slice's start is not a multiple of 4
     * @throws HazardException in {@link HazardMode#CHECK} if it races with other work
     * @throws IllegalStateException if the stream or dst is closed
     */
    void fill(DeviceBuffer dst, int value);

    /**
     * Sets every float of {@code dst}.
     *
     * @param dst the buffer; its size and its offset in its allocation (a slice's start) must be
     *     multiples of 4
     * @param value the float
     * @throws IllegalArgumentException if the size or the slice's start is not a multiple of 4
     * @throws HazardException in {@link HazardMode#CHECK} if it races with other work
     * @throws IllegalStateException if the stream or dst is closed
     */
    void fill(DeviceBuffer dst, float value);

    /**
     * Launches a kernel. Arguments are checked against the kernel's parameters: a
     * {@link DeviceBuffer}, a {@link HostBuffer} allocated with {@link HostAllocOption#MAPPED},
     * or an {@link Arg} wrapping either, for pointers; {@code int}, {@code long}, {@code float},
     * {@code double}, {@code short}, {@code byte} for scalars.
     *
     * @param kernel the kernel
     * @param config grid, block and shared memory
     * @param args one per parameter
     * @throws KernelArgumentException if the count or a kind of argument is wrong, or, for a
     *     bundled kernel ({@link BundledKernels}), a count is negative or out of its range or a
     *     buffer is too small for the counts or not aligned to its element size
     * @throws IllegalArgumentException if the configuration exceeds a device limit (named)
     * @throws HazardException in {@link HazardMode#CHECK} if it races with other work
     * @throws IllegalStateException if the stream, kernel or a buffer is closed
     */
    void launch(Kernel kernel, LaunchConfig config, Object... args);

    /**
     * Launches a kernel with arguments kept from launch to launch ({@link Kernel#args()}),
     * checked as {@link #launch(Kernel, LaunchConfig, Object...)} checks them: the form for hot
     * loops, which boxes nothing and builds no argument array.
     *
     * @param kernel the kernel
     * @param config grid, block and shared memory
     * @param args the kernel's arguments
     * @throws IllegalArgumentException if {@code args} are null or another kernel's, or the configuration
     *     exceeds a device limit (named)
     * @throws KernelArgumentException as for {@link #launch(Kernel, LaunchConfig, Object...)}
     * @throws HazardException in {@link HazardMode#CHECK} if it races with other work
     * @throws IllegalStateException if the stream, kernel or a buffer is closed
     */
    void launch(Kernel kernel, LaunchConfig config, KernelArgs args);

    /**
     * Captures the copies, fills and launches that {@code body} enqueues on this stream into a
     * graph, instead of running them. During capture, anything that would wait for or observe
     * the stream (synchronize, query, onComplete, callback, record, waitFor, join, copies to or
     * from Java arrays, allocAsync, a context synchronize) throws {@link IllegalStateException}:
     * it would break the capture. If body throws, the capture is discarded and the exception
     * rethrown.
     *
     * @param body enqueues the work to capture
     * @return the graph, for {@link #launch(Graph)}
     * @throws IllegalStateException if the stream is already capturing, or body waited on it
     * @throws IllegalStateException if the stream is closed
     */
    Graph capture(Runnable body);

    /**
     * Enqueues a captured graph: its operations run in order, as they were captured.
     *
     * @param graph a graph of the same context
     * @throws IllegalArgumentException if the graph belongs to another context
     * @throws HazardException in {@link HazardMode#CHECK} if its work races with other work
     * @throws IllegalStateException if the stream or graph is closed, or a buffer it uses is
     */
    void launch(Graph graph);

    /**
     * Records a new event (without timing) at the current end of this stream.
     *
     * <p>Cheap enough for every loop iteration: the native event comes from the context's pool
     * and goes back to it once this record has completed, so nothing needs closing (closing the
     * event only refuses later use). Such an event reports complete from then on, as it would
     * anyway. For {@link Event#elapsedSince}, record an event made with
     * {@link EventOption#TIMING} instead.
     *
     * @return the event; it completes when all work enqueued so far is done
     * @throws IllegalStateException if the stream is closed
     */
    Event record();

    /**
     * Records {@code event} at the current end of this stream, replacing its earlier record.
     *
     * @param event an event of the same context
     * @return {@code event}
     * @throws IllegalArgumentException if the event belongs to another context
     * @throws IllegalStateException if the stream or event is closed
     */
    Event record(Event event);

    /**
     * Makes later work on this stream wait until {@code event}'s latest record completes.
     * The calling thread does not block. The event may be one of another device's context of
     * this stream's {@link DeviceGroup}: streams are ordered across devices so.
     *
     * @param event a recorded event
     * @throws IllegalStateException if the event was never recorded (there is nothing to wait
     *         for, which is almost always a bug), or if the stream or event is closed
     * @throws IllegalArgumentException if the event belongs to another context that is not of
     *         this stream's device group
     */
    void waitFor(Event event);

    /**
     * Makes later work on this stream wait for all work enqueued so far on {@code other}.
     *
     * @param other another stream of the same context
     * @throws IllegalArgumentException if other belongs to another context that is not of this
     *         stream's device group
     * @throws IllegalStateException if either stream is closed
     */
    void join(Stream other);

    /**
     * Non-blocking: whether all work enqueued so far is done. Never throws for "not ready".
     *
     * @return true if the stream is idle
     * @throws AsyncOperationException if enqueued work failed
     * @throws IllegalStateException if the stream is closed
     */
    boolean query();

    /**
     * Blocks until all work enqueued so far is done.
     *
     * @throws AsyncOperationException if enqueued work failed
     * @throws IllegalStateException if the stream is closed
     */
    void synchronize();

    /**
     * The async twin of {@link #synchronize()}: completes when all work enqueued so far is done,
     * or exceptionally with the {@link AsyncOperationException} of a failed operation.
     * Continuations run on the context's callback executor, never on a backend thread.
     *
     * @return a future for the current end of the stream
     * @throws IllegalStateException if the stream is closed
     */
    CompletableFuture<Void> onComplete();

    /**
     * Runs {@code action} on the callback executor once all work enqueued so far is done. Later
     * work on the stream does not wait for it. If it throws, the returned future completes
     * exceptionally and the exception is also stored on the context and rethrown by the next
     * {@link Context#synchronize()}.
     *
     * @param action what to run
     * @return a future completed after the action ran
     * @throws IllegalStateException if the stream is closed
     */
    CompletableFuture<Void> callback(Runnable action);

    /**
     * Times a region of device work: records a timing event on this stream, runs {@code body}
     * (which enqueues work on this stream or, ordered with it, on others), records a second
     * timing event, waits for it, and returns the device time between the two. It synchronizes
     * on the second event, so it blocks until this stream reaches it. The events are closed
     * before it returns, also when body throws.
     *
     * <pre>{@code
     * Duration d = compute.time(() -> compute.launch(kernel, cfg, dev, n));
     * }</pre>
     *
     * @param body enqueues the work to time
     * @return the elapsed device time
     * @throws IllegalArgumentException if body is null
     * @throws IllegalStateException if the stream is closed or captures a graph
     * @throws AsyncOperationException if enqueued work failed
     * @throws RuntimeException what body threw, unchanged
     */
    default Duration time(Runnable body) {
        if (body == null) {
            throw new IllegalArgumentException("body must not be null");
        }
        Context ctx = context();
        try (Event start = ctx.createEvent(EnumSet.of(EventOption.TIMING));
                Event stop = ctx.createEvent(EnumSet.of(EventOption.TIMING))) {
            record(start);
            body.run();
            record(stop);
            stop.synchronize();
            return stop.elapsedSince(start);
        }
    }

    /** @return true until {@link #close()} */
    boolean isOpen();

    /**
     * Waits for the stream's work, then destroys it; a {@link StreamOwnership#BORROWED} stream
     * is only detached: its native stream is left to its owner. Closing twice does nothing.
     *
     * @throws IllegalStateException for the default stream
     * @throws AsyncOperationException if waiting surfaced an error; the stream is closed anyway
     */
    @Override
    void close();
}
