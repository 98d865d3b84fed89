package org.jgpu;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.jgpu.internal.Contexts;

/**
 * A device and everything allocated on it: streams, events, buffers, modules.
 *
 * <pre>{@code
 * try (Context ctx = Context.create()) {        // CUDA if a device is usable, else the host backend
 *     Stream s = ctx.createStream();
 *     try (HostBuffer h = ctx.allocHost(bytes); DeviceBuffer d = ctx.allocDevice(bytes)) {
 *         s.copy(h, d);                           // async
 *         s.synchronize();
 *     }
 * }
 * }</pre>
 *
 * <p>Thread-safe. Closing a context waits for all its work, then closes every object it still
 * owns; using any of them afterwards throws {@link IllegalStateException} naming the object.
 */
public interface Context extends AutoCloseable {

    /**
     * Creates a context with the default options.
     *
     * @return a new context
     * @throws BackendUnavailableException if the chosen backend cannot be used
     * @see #create(ContextOptions)
     */
    static Context create() {
        return Contexts.create(ContextOptions.DEFAULT);
    }

    /**
     * Creates a context on the backend and device the options choose.
     *
     * @param options backend, device, hazard mode
     * @return a new context
     * @throws BackendUnavailableException if the chosen backend cannot be used
     * @throws IllegalArgumentException if the backend name is unknown, the device ordinal is
     *         out of range, or an option cannot be honoured by the chosen backend
     */
    static Context create(ContextOptions options) {
        return Contexts.create(options);
    }

    /**
     * The shared, process-wide context, created with the default options on first use. It
     * cannot be closed by callers; it is closed when the JVM exits.
     *
     * @return the shared context
     * @throws BackendUnavailableException if no backend can be used
     */
    static Context getDefault() {
        return Contexts.getDefault();
    }

    /**
     * Every backend registered here (through {@link java.util.ServiceLoader}), highest priority
     * first, each probed now: what {@code auto} would choose from, and why one cannot be used.
     *
     * <pre>{@code
     * for (BackendStatus b : Context.backends()) {
     *     System.out.println(b.name() + (b.usable() ? " usable: " : " unusable: ") + b.reason());
     * }
     * }</pre>
     *
     * @return the backends; the host backend is always there
     */
    static List<BackendStatus> backends() {
        return Contexts.backends();
    }

    /**
     * Lists the devices of the backend {@code auto} chooses, with how copies travel between them.
     *
     * @return the devices and routes
     * @throws BackendUnavailableException if no backend can be used
     * @see #devices(ContextOptions)
     */
    static DeviceTopology devices() {
        return Contexts.devices(ContextOptions.DEFAULT);
    }

    /**
     * Lists the devices of the backend the options choose (its settings included: the host
     * backend simulates as many devices as its {@link org.jgpu.sim.EngineModel} says), with their
     * properties and how copies travel between each pair, without opening any of them.
     *
     * @param options the backend and its settings; the device ordinal is not used
     * @return the devices and routes
     * @throws IllegalArgumentException if the backend name is unknown or its settings are not its own
     * @throws BackendUnavailableException if the chosen backend cannot be used
     */
    static DeviceTopology devices(ContextOptions options) {
        return Contexts.devices(options);
    }

    /** @return a name for messages, e.g. {@code context#1(host)} */
    String name();

    /** @return the device this context runs on */
    DeviceInfo device();

    /**
     * @return free and total device memory now
     * @throws IllegalStateException if the context is closed
     */
    MemoryInfo memoryInfo();

    /** @return this context's hazard mode */
    HazardMode hazardMode();

    /**
     * Creates a stream with default options.
     *
     * @return a new stream
     * @throws IllegalStateException if the context is closed
     */
    Stream createStream();

    /**
     * @param options name, priority, flags
     * @return a new stream
     * @throws IllegalStateException if the context is closed
     */
    Stream createStream(StreamOptions options);

    /**
     * Creates a stream with default options and a name, which every message about it uses
     * (a hazard names stream {@code 'compute'}, not {@code 'stream#2'}); the same as
     * {@code createStream(StreamOptions.builder().name(name).build())}.
     *
     * @param name the stream's name
     * @return a new stream
     * @throws IllegalArgumentException if name is null
     * @throws IllegalStateException if the context is closed
     */
    default Stream createStream(String name) {
        if (name == null) {
            throw new IllegalArgumentException("name must not be null; createStream() makes a stream with a generated name");
        }
        return createStream(StreamOptions.builder().name(name).build());
    }

    /**
     * Takes in a stream made elsewhere (by CUDA C code, CuPy, PyTorch, JCuda, or another jgpu
     * context on the same device) as a borrowed {@link Stream}: work enqueued through it is
     * checked and hazard-tracked like work on any stream of this context, but jgpu does not own
     * it: closing the Stream, or this context, waits for the work jgpu enqueued on it and
     * detaches, never destroying the native stream. The owner must keep the native stream alive
     * until then. Work the owner enqueues directly is not seen by the hazard checker.
     *
     * <p>On CUDA the handle is a {@code CUstream} of this device's primary context (the one the
     * runtime API uses): {@code 0}, {@code CU_STREAM_LEGACY} and {@code CU_STREAM_PER_THREAD}
     * are refused, as the default streams are {@link #defaultStream()}'s. On the host backend it
     * is the {@link Stream#nativeHandle()} of an open stream of another host context.
     *
     * @param nativeHandle the backend's handle, e.g. from {@link Stream#nativeHandle()}
     * @param name a name for messages, or null for a generated one
     * @return a stream of this context whose {@link Stream#ownership()} is
     *         {@link StreamOwnership#BORROWED}; its options report the native stream's priority
     *         and flags
     * @throws IllegalArgumentException naming the handle if it names no open stream this
     *         context can use, is a default stream, or is already a stream of this context
     * @throws IllegalStateException if the context is closed
     */
    Stream borrowStream(long nativeHandle, String name);

    /**
     * @return the stream priorities this device honours; {@link #createStream(StreamOptions)}
     *         clamps requested ones into it
     * @throws IllegalStateException if the context is closed
     */
    StreamPriorityRange streamPriorityRange();

    /**
     * The default stream. With {@link DefaultStreamMode#LEGACY} (the default) it is one stream
     * that waits for earlier work on every blocking stream, and they wait for it (see
     * {@link StreamFlag#NON_BLOCKING}); with {@link DefaultStreamMode#PER_THREAD} each calling
     * thread gets its own ordinary blocking stream. It cannot be closed.
     *
     * @return the default stream
     * @throws IllegalStateException if the context is closed
     */
    Stream defaultStream();

    /**
     * Creates an event without timing.
     *
     * @return a new, unrecorded event
     * @throws IllegalStateException if the context is closed
     */
    Event createEvent();

    /**
     * @param options event options, e.g. {@code EnumSet.of(EventOption.TIMING)}
     * @return a new, unrecorded event
     * @throws IllegalStateException if the context is closed
     */
    Event createEvent(Set<EventOption> options);

    /**
     * @param bytes size, at least 1
     * @return device memory of that size, contents undefined
     * @throws IllegalArgumentException if bytes is below 1
     * @throws GpuOutOfMemoryException if the device has not that much free
     * @throws IllegalStateException if the context is closed
     */
    DeviceBuffer allocDevice(long bytes);

    /**
     * @param bytes size, at least 1
     * @param name a name for messages
     * @return device memory of that size, contents undefined
     * @throws IllegalArgumentException if bytes is below 1
     * @throws GpuOutOfMemoryException if the device has not that much free
     * @throws IllegalStateException if the context is closed
     */
    DeviceBuffer allocDevice(long bytes, String name);

    /**
     * Allocates device memory in stream order: usable on {@code stream} at once, on other
     * streams after they wait for it; closing the buffer frees it in stream order too.
     *
     * @param bytes size, at least 1
     * @param stream the stream that orders the allocation and the free
     * @return device memory of that size, contents undefined
     * @throws IllegalArgumentException if bytes is below 1 or the stream belongs to another context
     * @throws GpuOutOfMemoryException if the device has not that much free
     * @throws IllegalStateException if the context or stream is closed
     */
    DeviceBuffer allocAsync(long bytes, Stream stream);

    /**
     * Allocates device memory in stream order and uploads {@code data} into it, as
     * {@link Stream#upload(float[], DeviceBuffer)} does: the values are staged in pinned memory
     * before it returns (data may be reused at once), and the copy runs in stream order.
     *
     * @param data the values
     * @param stream the stream that orders the allocation, the copy and the free
     * @return a buffer of {@code 4 * data.length} bytes holding the values in stream order
     * @throws IllegalArgumentException if data is null or empty, or the stream is null or belongs
     *         to another context
     * @throws GpuOutOfMemoryException if the device has not that much free
     * @throws IllegalStateException if the context or stream is closed, or the stream captures a graph
     */
    DeviceBuffer allocUpload(float[] data, Stream stream);

    /**
     * Allocates device memory in stream order and uploads {@code data} into it, as
     * {@link Stream#upload(int[], DeviceBuffer)} does: the values are staged in pinned memory
     * before it returns (data may be reused at once), and the copy runs in stream order.
     *
     * @param data the values
     * @param stream the stream that orders the allocation, the copy and the free
     * @return a buffer of {@code 4 * data.length} bytes holding the values in stream order
     * @throws IllegalArgumentException if data is null or empty, or the stream is null or belongs
     *         to another context
     * @throws GpuOutOfMemoryException if the device has not that much free
     * @throws IllegalStateException if the context or stream is closed, or the stream captures a graph
     */
    DeviceBuffer allocUpload(int[] data, Stream stream);

    /**
     * Allocates device memory in stream order and uploads {@code data} into it, as
     * {@link Stream#upload(long[], DeviceBuffer)} does: the values are staged in pinned memory
     * before it returns (data may be reused at once), and the copy runs in stream order.
     *
     * @param data the values
     * @param stream the stream that orders the allocation, the copy and the free
     * @return a buffer of {@code 8 * data.length} bytes holding the values in stream order
     * @throws IllegalArgumentException if data is null or empty, or the stream is null or belongs
     *         to another context
     * @throws GpuOutOfMemoryException if the device has not that much free
     * @throws IllegalStateException if the context or stream is closed, or the stream captures a graph
     */
    DeviceBuffer allocUpload(long[] data, Stream stream);

    /**
     * Allocates device memory in stream order and uploads {@code data} into it, as
     * {@link Stream#upload(double[], DeviceBuffer)} does: the values are staged in pinned memory
     * before it returns (data may be reused at once), and the copy runs in stream order.
     *
     * @param data the values
     * @param stream the stream that orders the allocation, the copy and the free
     * @return a buffer of {@code 8 * data.length} bytes holding the values in stream order
     * @throws IllegalArgumentException if data is null or empty, or the stream is null or belongs
     *         to another context
     * @throws GpuOutOfMemoryException if the device has not that much free
     * @throws IllegalStateException if the context or stream is closed, or the stream captures a graph
     */
    DeviceBuffer allocUpload(double[] data, Stream stream);

    /**
     * Allocates device memory in stream order and uploads {@code data} into it, as
     * {@link Stream#upload(byte[], DeviceBuffer)} does: the values are staged in pinned memory
     * before it returns (data may be reused at once), and the copy runs in stream order.
     *
     * @param data the values
     * @param stream the stream that orders the allocation, the copy and the free
     * @return a buffer of {@code 1 * data.length} bytes holding the values in stream order
     * @throws IllegalArgumentException if data is null or empty, or the stream is null or belongs
     *         to another context
     * @throws GpuOutOfMemoryException if the device has not that much free
     * @throws IllegalStateException if the context or stream is closed, or the stream captures a graph
     */
    DeviceBuffer allocUpload(byte[] data, Stream stream);

    /**
     * Plain page-locked host memory, which the device copies to and from asynchronously.
     *
     * @param bytes size, at least 1
     * @return pinned host memory, zeroed
     * @throws IllegalArgumentException if bytes is below 1
     * @throws GpuOutOfMemoryException if it cannot be pinned
     * @throws IllegalStateException if the context is closed
     */
    HostBuffer allocHost(long bytes);

    /**
     * @param bytes size, at least 1
     * @param name a name for messages
     * @return pinned host memory, zeroed
     * @throws IllegalArgumentException if bytes is below 1
     * @throws GpuOutOfMemoryException if it cannot be pinned
     * @throws IllegalStateException if the context is closed
     */
    HostBuffer allocHost(long bytes, String name);

    /**
     * @param bytes size, at least 1
     * @param options e.g. {@link HostAllocOption#WRITE_COMBINED}; empty for plain pinned memory
     * @return pinned host memory, zeroed
     * @throws IllegalArgumentException if bytes is below 1
     * @throws UnsupportedOperationException if the backend cannot honour an option
     * @throws GpuOutOfMemoryException if it cannot be pinned
     * @throws IllegalStateException if the context is closed
     */
    HostBuffer allocHost(long bytes, Set<HostAllocOption> options);

    /**
     * A pool of pinned host buffers of one size, pinned on demand and reused.
     *
     * @param bufferBytes size of each buffer, at least 1
     * @param capacity most buffers to pin, at least 1
     * @return the pool
     * @throws IllegalArgumentException if a size is below 1
     * @throws IllegalStateException if the context is closed
     */
    HostBufferPool createHostPool(long bufferBytes, int capacity);

    /**
     * Loads PTX, a cubin, a fatbin or the bundled kernels.
     *
     * @param source where the code comes from
     * @return the loaded module
     * @throws GpuException if the backend cannot load it (the message says why)
     * @throws IllegalStateException if the context is closed
     */
    KernelModule loadModule(ModuleSource source);

    /**
     * Blocks until all work on every stream is done, then rethrows errors stored since the last
     * synchronize (failed callbacks, errors found by cleaners).
     *
     * @throws AsyncOperationException if enqueued work failed
     * @throws GpuException for a stored error
     * @throws IllegalStateException if the context is closed
     */
    void synchronize();

    /**
     * The async twin of {@link #synchronize()}: completes when all work enqueued so far on every
     * stream is done. Continuations run on the callback executor, never on a backend thread.
     *
     * @return a future for all current work
     * @throws IllegalStateException if the context is closed
     */
    CompletableFuture<Void> onComplete();

    /** @return true until {@link #close()} */
    boolean isOpen();

    /**
     * Waits for all work, closes every object still open and releases the device.
     * Closing twice does nothing.
     *
     * @throws IllegalStateException for the shared context from {@link #getDefault()}
     * @throws GpuException if waiting surfaced an error; everything is released all the same
     */
    @Override
    void close();
}
