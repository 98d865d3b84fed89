package org.jgpu.pipeline;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.jgpu.Context;
import org.jgpu.DeviceBuffer;
import org.jgpu.Event;

/**
 * The device buffers a {@link DeviceLoader} uploads batches into: each goes back to the free list
 * with the event after which its last consumer is done with it.
 */
final class LoaderBuffers {
    /** A free buffer, and what an upload into it must wait for (null: nothing). */
    record Free(DeviceBuffer buffer, Event after) {
    }

    private final ArrayDeque<Free> free = new ArrayDeque<>();
    private final List<DeviceBuffer> all = new ArrayList<>();

    /**
     * Allocates the buffers.
     *
     * @throws org.jgpu.GpuOutOfMemoryException if the device has no room for them
     */
    LoaderBuffers(Context ctx, long bytes, int count) {
        for (int i = 0; i < count; i++) {
            DeviceBuffer d = ctx.allocDevice(bytes, "loader-slot" + i);
            all.add(d);
            free.add(new Free(d, null));
        }
    }

    /**
     * Waits for a free buffer.
     *
     * @param stop checked while waiting: true gives up
     * @return the buffer, or null if {@code stop} said so first
     * @throws InterruptedException if the waiting thread is interrupted
     */
    Free take(BooleanSupplier stop) throws InterruptedException {
        synchronized (free) {
            while (free.isEmpty()) {
                if (stop.getAsBoolean()) {
                    return null;
                }
                free.wait(50);
            }
            return free.poll();
        }
    }

    /** Gives a buffer back; an upload into it will wait for {@code after} (null: nothing). */
    void recycle(DeviceBuffer d, Event after) {
        synchronized (free) {
            free.add(new Free(d, after));
            free.notifyAll();
        }
    }

    /** Frees every buffer. */
    void close() {
        for (DeviceBuffer d : all) {
            d.close();
        }
    }
}
