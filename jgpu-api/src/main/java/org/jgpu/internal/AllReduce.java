package org.jgpu.internal;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jgpu.BundledKernels;
import org.jgpu.DeviceBuffer;
import org.jgpu.Event;
import org.jgpu.Kernel;
import org.jgpu.LaunchConfig;
import org.jgpu.ModuleSource;
import org.jgpu.Stream;

/**
 * The ring all-reduce (sum) of {@link org.jgpu.DeviceGroup#allReduceSum}: a reduce-scatter then
 * an all-gather, each {@code n - 1} steps in which every device takes one chunk from the one
 * before it in the ring, ordered by events.
 *
 * <p>Chunk {@code c} is {@code [c * e / n, (c + 1) * e / n)} of the {@code e} floats. In
 * reduce-scatter step {@code k}, device {@code i} copies chunk {@code (i - 1 - k) mod n} of the
 * previous device into a scratch buffer and adds it into its own (the bundled
 * {@link BundledKernels#ACCUMULATE} kernel); afterwards device {@code i} holds the whole sum of
 * chunk {@code (i + 1) mod n}. In all-gather step {@code k} it copies chunk {@code (i - k) mod n},
 * summed, from the previous device over its own. Every copy runs on the receiving device's
 * stream after an event of the sender's step before; those waits chain around the ring, so the
 * next device has read a chunk in the reduce-scatter before this device overwrites it in the
 * all-gather. Finally each stream waits until the next device has read its last chunk, so the
 * stream's later work may change the buffer.
 */
final class AllReduce {
    /** The bundled module's accumulate kernel of each context, loaded on first use (closed with the context). */
    private final Map<CoreContext, Kernel> kernels = new ConcurrentHashMap<>();

    /**
     * Enqueues the all-reduce.
     *
     * @param contexts the group's contexts
     * @param buffers one per context
     * @param streams one per context
     * @throws IllegalArgumentException naming the argument that does not fit
     */
    void sum(List<CoreContext> contexts, List<DeviceBuffer> buffers, List<Stream> streams) {
        int n = contexts.size();
        check(contexts, buffers, "buffers");
        check(contexts, streams, "streams");
        long bytes = buffers.get(0).size();
        CoreBuffer[] owned = new CoreBuffer[n];
        CoreStream[] ordering = new CoreStream[n];
        for (int i = 0; i < n; i++) {
            owned[i] = contexts.get(i).scope().own(buffers.get(i), "buffers[" + i + "]");
            ordering[i] = contexts.get(i).scope().own(streams.get(i), "streams[" + i + "]");
            if (buffers.get(i).size() != bytes) {
                throw new IllegalArgumentException("allReduceSum: buffers[" + i + "] " + buffers.get(i).name() + " has "
                        + buffers.get(i).size() + " bytes but buffers[0] " + buffers.get(0).name() + " has " + bytes
                        + "; every device's buffer must have the same size");
            }
        }
        if (bytes % Float.BYTES != 0) {
            throw new IllegalArgumentException("allReduceSum: buffers of " + bytes + " bytes are not a whole number of floats");
        }
        if (n == 1) {
            return;     // the sum of one buffer is itself
        }
        // every access the ring makes to buffer i comes after stream i's current end: if that is
        // unordered with pending work on the buffer, refuse now, before any buffer is changed
        for (int i = 0; i < n; i++) {
            contexts.get(i).scope().sequencer().claim(ordering[i].state(), owned[i].touch(true, true), "allReduceSum");
        }
        long elements = bytes / Float.BYTES;
        long maxChunk = (elements + n - 1) / n;
        DeviceBuffer[] scratch = new DeviceBuffer[n];
        try {
            for (int i = 0; i < n; i++) {
                scratch[i] = contexts.get(i).allocAsync(Math.max(1, maxChunk) * Float.BYTES, streams.get(i));
            }
            Event[] last = new Event[n];
            for (int i = 0; i < n; i++) {
                last[i] = streams.get(i).record();
            }
            for (int k = 0; k < n - 1; k++) {
                Event[] step = new Event[n];
                for (int i = 0; i < n; i++) {
                    int prev = (i + n - 1) % n;
                    int c = Math.floorMod(i - 1 - k, n);
                    long from = elements * c / n;
                    long count = elements * (c + 1) / n - from;
                    Stream s = streams.get(i);
                    s.waitFor(last[prev]);
                    if (count > 0) {
                        s.copy(buffers.get(prev), from * Float.BYTES, scratch[i], 0, count * Float.BYTES);
                        s.launch(kernel(contexts.get(i)), LaunchConfig.forElements(count),
                                buffers.get(i).slice(from * Float.BYTES, count * Float.BYTES), scratch[i], (int) count);
                    }
                    step[i] = s.record();
                }
                last = step;
            }
            // no wait for the next device's reads of the reduce-scatter is needed here: each step
            // waits for the sender's step before, and that chain reaches back to the next
            // device's step k before this device's all-gather step k overwrites what it read
            for (int k = 0; k < n - 1; k++) {
                Event[] step = new Event[n];
                for (int i = 0; i < n; i++) {
                    int prev = (i + n - 1) % n;
                    int c = Math.floorMod(i - k, n);
                    long from = elements * c / n;
                    long count = elements * (c + 1) / n - from;
                    Stream s = streams.get(i);
                    s.waitFor(last[prev]);
                    if (count > 0) {
                        s.copy(buffers.get(prev), from * Float.BYTES, buffers.get(i), from * Float.BYTES, count * Float.BYTES);
                    }
                    step[i] = s.record();
                }
                last = step;
            }
            for (int i = 0; i < n; i++) {
                // later work on this device's buffer waits until the next device has read its last chunk
                streams.get(i).waitFor(last[(i + 1) % n]);
            }
        } finally {
            for (DeviceBuffer b : scratch) {
                if (b != null) {
                    b.close();     // freed in stream order, after the steps that use it
                }
            }
        }
    }

    private Kernel kernel(CoreContext c) {
        return kernels.computeIfAbsent(c, ctx -> ctx.loadModule(ModuleSource.bundled()).kernel(BundledKernels.ACCUMULATE));
    }

    private static void check(List<CoreContext> contexts, List<?> list, String role) {
        if (list == null || list.size() != contexts.size()) {
            throw new IllegalArgumentException("allReduceSum: " + role + " must hold one per context of the group ("
                    + contexts.size() + "), got " + (list == null ? "null" : list.size()));
        }
        for (int i = 0; i < list.size(); i++) {
            if (list.get(i) == null) {
                throw new IllegalArgumentException("allReduceSum: " + role + "[" + i + "] is null");
            }
        }
    }
}
