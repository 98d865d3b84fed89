package org.jgpu;

import java.util.List;
import org.jgpu.internal.DeviceGroups;

/**
 * Contexts on several devices of one backend that work together: copies between their device
 * buffers, streams that wait for another device's events, hazard checks that see every device's
 * streams, and an all-reduce across them.
 *
 * <pre>{@code
 * try (DeviceGroup g = DeviceGroup.open(ContextOptions.builder().backend("cuda").build(), 2)) {
 *     Context c0 = g.context(0), c1 = g.context(1);
 *     Stream s0 = c0.createStream(), s1 = c1.createStream();
 *     DeviceBuffer a = c0.allocDevice(bytes), b = c1.allocDevice(bytes);
 *     s0.copy(a, b);                  // device 0 to device 1: g.route(c0, c1) says how
 *     s1.waitFor(s0.record());        // device 1's stream after the copy
 *     ...
 * }
 * }</pre>
 *
 * <p>Each context is an ordinary context on its device; what the group adds is that its
 * contexts share one hazard domain (one lock and one set of vector clocks), which is what lets
 * a copy or a wait cross from one to another. A buffer, stream or event of a context outside the
 * group cannot be used with the group's contexts: that is refused with
 * {@link IllegalArgumentException}. This is a single-process group: across processes or
 * machines, use NCCL or the collectives of the distributed engine that runs the workers.
 *
 * <p>Thread-safe. Closing the group closes every context in it (each waits for its work first);
 * a context closed on its own leaves the others working.
 */
public interface DeviceGroup extends AutoCloseable {

    /**
     * Opens a context on each of the devices {@code 0 .. devices - 1} of the backend the options
     * choose; the options' device ordinal is ignored.
     *
     * @param options backend, hazard mode, callback executor, backend settings for every context
     * @param devices how many devices, at least 1
     * @return the group, contexts in ordinal order
     * @throws IllegalArgumentException if devices is below 1 or more than the backend has, or an
     *         option cannot be honoured
     * @throws BackendUnavailableException if the chosen backend cannot be used
     */
    static DeviceGroup open(ContextOptions options, int devices) {
        return DeviceGroups.open(options, devices);
    }

    /**
     * Opens a context on each of the given devices of the backend the options choose.
     *
     * @param options backend, hazard mode, callback executor, backend settings for every context
     * @param ordinals the devices, at least one, each at most once
     * @return the group, contexts in the order of {@code ordinals}
     * @throws IllegalArgumentException if ordinals is null or empty, names a device twice, or
     *         names one out of range, or an option cannot be honoured
     * @throws BackendUnavailableException if the chosen backend cannot be used
     */
    static DeviceGroup open(ContextOptions options, List<Integer> ordinals) {
        return DeviceGroups.open(options, ordinals);
    }

    /** @return how many contexts (devices) the group has */
    int size();

    /**
     * @param index a context's place in the group, from 0
     * @return that context
     * @throws IndexOutOfBoundsException if index is out of range
     */
    Context context(int index);

    /** @return the contexts, in group order */
    List<Context> contexts();

    /** @return the backend's devices and routes, as {@link Context#devices(ContextOptions)} lists them */
    DeviceTopology topology();

    /**
     * @param from the context whose device memory a copy reads
     * @param to the context whose device memory it writes
     * @return how the copy travels
     * @throws IllegalArgumentException if a context is not one of this group's
     */
    PeerRoute route(Context from, Context to);

    /**
     * Sums float buffers element by element across the group's devices, leaving the sum in every
     * one of them, in the order of the given streams: each stream's later work sees the sum, and
     * earlier work on a stream is done before its buffer is read. The calling thread only
     * enqueues; the work overlaps with whatever else the devices do. It runs as a ring (each
     * device sends {@code 2 (n - 1) / n} of its buffer to the next) of peer copies and the bundled
     * {@link BundledKernels#ACCUMULATE} kernel, the streams ordered by events.
     *
     * @param buffers one per context, in group order, of equal size, a multiple of 4 bytes
     * @param streams one per context, in group order: the stream that orders the work on that device
     * @throws IllegalArgumentException naming the argument if a list is null, not one per
     *         context, holds an object of another context, or the buffers differ in size or are
     *         not a whole number of floats
     * @throws HazardException in {@link HazardMode#CHECK} if a buffer has pending work the
     *         streams are not ordered after
     * @throws IllegalStateException if the group, a context, a stream or a buffer is closed
     */
    void allReduceSum(List<DeviceBuffer> buffers, List<Stream> streams);

    /**
     * Blocks until the work of every open context of the group is done (a context closed on its
     * own waited for its work when it closed), then rethrows their stored errors (the first, with
     * the others suppressed).
     *
     * @throws AsyncOperationException if enqueued work failed
     * @throws IllegalStateException if the group is closed, or a context closes meanwhile
     */
    void synchronize();

    /** @return true until {@link #close()} */
    boolean isOpen();

    /**
     * Closes every context of the group; closing twice does nothing.
     *
     * @throws GpuException if waiting for a context's work surfaced an error; every context is
     *         closed all the same
     */
    @Override
    void close();
}
