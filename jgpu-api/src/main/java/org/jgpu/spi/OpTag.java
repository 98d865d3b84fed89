package org.jgpu.spi;

/**
 * What an enqueued operation is, so that a later asynchronous failure can name it.
 *
 * @param kind e.g. {@code copy H2D}, {@code launch}, {@code fill}
 * @param detail e.g. the kernel name or byte count
 * @param stream the stream's name
 */
public record OpTag(String kind, String detail, String stream) {
    @Override
    public String toString() {
        return kind + (detail.isEmpty() ? "" : " " + detail) + " on stream '" + stream + "'";
    }
}
