package org.jgpu.spi;

import java.util.function.Function;
import org.jgpu.Arg;
import org.jgpu.trace.Engine;

/**
 * What a jgpu stream offers to {@link Extensions}: jgpu's own streams implement it, and
 * {@link Extensions} delegates to it. Libraries call {@link Extensions}, never this type.
 */
public interface ExtensibleStream {
    /**
     * @return the backend stream
     * @throws IllegalStateException if the stream is closed
     */
    NativeStream nativeStream();

    /**
     * Enqueues a library's work through the stream's checks.
     *
     * @param op what it is, for hazard messages and timelines
     * @param engine the engine it occupies
     * @param buffers every buffer it uses and how
     * @param work the enqueueing call
     * @throws org.jgpu.HazardException in CHECK mode if the work races with other work
     * @throws IllegalArgumentException if a buffer is null or belongs to another context
     * @throws IllegalStateException if the stream or a buffer is closed
     */
    void enqueue(String op, Engine engine, Arg[] buffers, Extensions.Work work);

    /**
     * @param type the attachment's type
     * @param create makes it from the backend stream
     * @param <T> the attachment's type
     * @return the stream's attachment of that type
     * @throws IllegalStateException if the stream is closed
     */
    <T extends AutoCloseable> T attachment(Class<T> type, Function<NativeStream, ? extends T> create);

    /**
     * @param type the attachment's type
     * @param attachment the attachment
     * @return true if it was attached and is now detached
     */
    boolean detach(Class<?> type, AutoCloseable attachment);
}
