package org.jgpu.spi;

import java.util.List;

/**
 * What an enqueued operation is, so that a later asynchronous failure can name it. Built from
 * values the caller already has, so tagging costs no string work until a failure is reported.
 *
 * @param kind e.g. {@code copy H2D}, {@code launch}, {@code fill}
 * @param detail e.g. the kernel name, or empty
 * @param bytes bytes moved or set, or -1 when it does not apply
 * @param stream the stream's name
 * @param buffers the names of the buffers it uses
 * @param caller the frame that enqueued it, or null unless {@link org.jgpu.Diagnostic#CALLER_FRAMES} is on
 */
public record OpTag(String kind, String detail, long bytes, String stream, List<String> buffers,
        StackTraceElement caller) {
    @Override
    public String toString() {
        return kind + (detail.isEmpty() ? "" : " " + detail) + (bytes < 0 ? "" : " of " + bytes + " bytes")
                + " on stream '" + stream + "'" + (buffers.isEmpty() ? "" : " using " + String.join(", ", buffers))
                + (caller == null ? "" : ", enqueued at " + caller);
    }
}
