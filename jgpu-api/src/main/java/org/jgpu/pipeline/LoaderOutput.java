package org.jgpu.pipeline;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.Semaphore;
import org.jgpu.Context;
import org.jgpu.DeviceBuffer;
import org.jgpu.Event;
import org.jgpu.EventOption;
import org.jgpu.HostBuffer;

/**
 * One rotating output slot of a {@link LoaderRun}: the device buffer a batch's compute writes,
 * the pinned buffer its download fills, and the timing events of the slot's latest batch. The
 * slot is taken for a batch once the consume of its previous batch returned.
 */
final class LoaderOutput {
    final int index;
    final DeviceBuffer device;
    final HostBuffer host;
    final Event computeStart;
    final Event computeEnd;
    final Event downloadStart;
    /** Also what the next compute into {@link #device} waits for. */
    final Event downloadEnd;
    /** Released by the consume thread after the slot's batch was consumed (or skipped after a failure). */
    final Semaphore free = new Semaphore(1);
    long batch;
    /** The batch's upload timing events (start, end), or null if its upload was not timed. */
    Event[] uploadMarks;
    /** True once a batch went through: later ones wait for its download. */
    boolean used;

    /**
     * Allocates the buffers and events.
     *
     * @throws org.jgpu.GpuException if an allocation fails (what was allocated is freed)
     */
    LoaderOutput(Context ctx, int index, long bytes) {
        this.index = index;
        List<AutoCloseable> made = new ArrayList<>();
        try {
            device = made(made, ctx.allocDevice(bytes, "loader-out" + index));
            host = made(made, ctx.allocHost(bytes, "loader-out" + index + "-host"));
            computeStart = made(made, timing(ctx));
            computeEnd = made(made, timing(ctx));
            downloadStart = made(made, timing(ctx));
            downloadEnd = made(made, timing(ctx));
        } catch (RuntimeException | Error e) {
            for (AutoCloseable c : made) {
                try {
                    c.close();
                } catch (Exception suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw e;
        }
    }

    private static <T extends AutoCloseable> T made(List<AutoCloseable> made, T resource) {
        made.add(resource);
        return resource;
    }

    private static Event timing(Context ctx) {
        return ctx.createEvent(EnumSet.of(EventOption.TIMING));
    }

    /** Closes the upload timing events of the slot's latest batch, if it has any. */
    void closeUploadMarks() {
        Event[] m = uploadMarks;
        uploadMarks = null;
        if (m != null) {
            m[0].close();
            m[1].close();
        }
    }

    /** Frees the buffers (waiting for work still using them) and the events. */
    void close() {
        closeUploadMarks();
        device.close();
        host.close();
        computeStart.close();
        computeEnd.close();
        downloadStart.close();
        downloadEnd.close();
    }
}
