package org.jgpu.spi;

import java.util.Objects;

/**
 * What an enqueued operation is, so that a later asynchronous failure can name it. The core
 * hands one to each {@link NativeStream} call; a backend may keep it (for the operations before
 * a failure, say) and calls {@link #toString()} only when it reports one: a tag holds
 * references, and building its text is left to that moment.
 */
public interface OpTag {
    /** @return what the operation is */
    OpKind kind();

    /**
     * @return the operation as a message names it: its kind, its detail (a kernel's name), the
     *         bytes, the stream, the buffers, and the frame that enqueued it when
     *         {@link org.jgpu.Diagnostic#CALLER_FRAMES} is on, e.g.
     *         {@code launch saxpy on stream 's' using device buffer 'x', device buffer 'y'}
     */
    @Override
    String toString();

    /**
     * A tag with a fixed text, for backends' own operations and tests.
     *
     * @param kind what the operation is
     * @param text what {@link #toString()} returns
     * @return the tag
     */
    static OpTag of(OpKind kind, String text) {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(text, "text");
        return new OpTag() {
            @Override
            public OpKind kind() {
                return kind;
            }

            @Override
            public String toString() {
                return text;
            }
        };
    }
}
