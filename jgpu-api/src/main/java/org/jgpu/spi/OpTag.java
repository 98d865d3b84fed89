package org.jgpu.spi;

import java.util.List;

/**
 * What an enqueued operation is, so that a later asynchronous failure can name it. It holds
 * references the caller already has and builds its text only in {@link #toString()}, when a
 * failure is reported: tagging an operation builds no string.
 *
 * @param kind what the operation is
 * @param detail e.g. the kernel's name, or empty
 * @param bytes bytes moved or set, or -1 when it does not apply
 * @param stream the stream's name
 * @param buffers the buffers it uses, each named by its {@code toString()}
 * @param caller the frame that enqueued it, or null unless {@link org.jgpu.Diagnostic#CALLER_FRAMES} is on
 */
public record OpTag(OpKind kind, String detail, long bytes, String stream, List<?> buffers, StackTraceElement caller) {
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder(kind.label());
        if (!detail.isEmpty()) {
            b.append(' ').append(detail);
        }
        if (bytes >= 0) {
            b.append(" of ").append(bytes).append(" bytes");
        }
        b.append(" on stream '").append(stream).append('\'');
        for (int i = 0; i < buffers.size(); i++) {
            b.append(i == 0 ? " using " : ", ").append(buffers.get(i));
        }
        if (caller != null) {
            b.append(", enqueued at ").append(caller);
        }
        return b.toString();
    }
}
