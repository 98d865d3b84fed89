package org.jgpu.pipeline;

import java.util.EnumSet;
import org.jgpu.Context;
import org.jgpu.DeviceBuffer;
import org.jgpu.Event;
import org.jgpu.EventOption;
import org.jgpu.HostBuffer;
import org.jgpu.Stream;
import org.jgpu.StreamOptions;

/**
 * One rotating slot of a {@link BufferedPipeline}: its pinned and device buffers, the stream its
 * batches' device work runs on, and the events that time and order its latest batch.
 *
 * <p>Each slot has a stream of its own, whatever the layout, so that a stream only ever holds
 * one batch that has not been checked yet: a failure it reports belongs to that batch. The
 * layouts differ in how a batch's stages wait for the previous batch's ({@link PipelineRun}).
 */
final class PipelineSlot {
    final int index;
    final HostBuffer in;
    final HostBuffer out;
    final DeviceBuffer din;
    final DeviceBuffer dout;
    /** Start and end of the upload, compute and download of the slot's latest batch. */
    final Event[] marks = new Event[6];
    /**
     * Recorded on this slot's stream at the start of a run: batch times are measured from it, so
     * that timing a batch never synchronizes (and takes the failure of) another slot's stream.
     */
    final Event base;
    final Stream stream;
    /** Nanoseconds from the run's origin to {@link #base}. */
    long baseOffset;
    long batch;
    long prepStart;
    long prepEnd;

    /**
     * Allocates the slot's buffers, events and stream.
     *
     * @throws org.jgpu.GpuException if an allocation fails (what was allocated is freed)
     */
    PipelineSlot(Context ctx, String name, int index, long inBytes, long outBytes) {
        this.index = index;
        HostBuffer hin = null;
        HostBuffer hout = null;
        DeviceBuffer dIn = null;
        DeviceBuffer dOut = null;
        Event b = null;
        Stream s = null;
        int made = 0;
        try {
            hin = ctx.allocHost(inBytes, "slot" + index + "-in");
            hout = ctx.allocHost(outBytes, "slot" + index + "-out");
            dIn = ctx.allocDevice(inBytes, "slot" + index + "-din");
            dOut = ctx.allocDevice(outBytes, "slot" + index + "-dout");
            for (; made < marks.length; made++) {
                marks[made] = ctx.createEvent(EnumSet.of(EventOption.TIMING));
            }
            b = ctx.createEvent(EnumSet.of(EventOption.TIMING));
            s = ctx.createStream(StreamOptions.builder().name(name + "-slot" + index).build());
        } catch (RuntimeException | Error e) {
            for (AutoCloseable c : new AutoCloseable[] {b, dOut, dIn, hout, hin}) {
                closeQuietly(c, e);
            }
            for (int i = 0; i < made; i++) {
                closeQuietly(marks[i], e);
            }
            throw e;
        }
        in = hin;
        out = hout;
        din = dIn;
        dout = dOut;
        base = b;
        stream = s;
    }

    private static void closeQuietly(AutoCloseable c, Throwable primary) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (Exception e) {
            primary.addSuppressed(e);
        }
    }

    /**
     * Closes the stream (waiting for its work) and frees the buffers and events.
     *
     * @param primary the failure the run ends with, or null
     * @return a failure of the stream's work not reported yet, or null; added to primary instead
     *         when there is one
     */
    RuntimeException close(Throwable primary) {
        RuntimeException unreported = null;
        try {
            stream.close();
        } catch (RuntimeException e) {
            if (primary != null) {
                primary.addSuppressed(e);
            } else {
                unreported = e;
            }
        }
        base.close();
        for (Event e : marks) {
            e.close();
        }
        in.close();
        out.close();
        din.close();
        dout.close();
        return unreported;
    }
}
