package org.jgpu.spi;

import java.util.function.Function;
import org.jgpu.Arg;
import org.jgpu.Stream;
import org.jgpu.trace.Engine;

/**
 * Lets code outside jgpu-api enqueue its own device work on a {@link Stream} (a cuBLAS call,
 * say) through the same checks as jgpu's operations: the stream and buffers must be open and of
 * the same context, and the hazard checker sees what the work reads and writes.
 *
 * <pre>{@code
 * Extensions.enqueue(stream, "cublasSaxpy", new Arg[] {Arg.in(x), Arg.inOut(y)},
 *         (nativeStream, pointers) -> callTheLibrary(nativeStream, pointers[0], pointers[1]));
 * }</pre>
 */
public final class Extensions {
    private Extensions() {
    }

    /** Device work that a library enqueues on a backend stream. */
    @FunctionalInterface
    public interface Work {
        /**
         * Enqueues the work. Called with the context's enqueue lock held: it must only enqueue,
         * never wait.
         *
         * @param stream the backend's stream
         * @param buffers the buffers' device pointers, in the order given
         */
        void enqueue(NativeStream stream, DevicePointer[] buffers);
    }

    /**
     * The backend stream behind a stream, for a library to bind its own handle to (as
     * {@code cublasSetStream} does). Enqueue work through {@link #enqueue} so that it is checked.
     *
     * @param stream an open stream
     * @return its backend stream
     * @throws IllegalArgumentException if the stream was not created by jgpu
     * @throws IllegalStateException if the stream is closed
     */
    public static NativeStream nativeStream(Stream stream) {
        return core(stream).nativeStream();
    }

    /**
     * @param stream where the work runs
     * @param op what it is, for hazard messages (e.g. {@code cublasSgemm})
     * @param buffers every buffer it uses and how
     * @param work the enqueueing call
     * @throws org.jgpu.HazardException in CHECK mode if the work races with other work
     * @throws IllegalArgumentException if a buffer belongs to another context
     * @throws IllegalStateException if the stream or a buffer is closed
     */
    public static void enqueue(Stream stream, String op, Arg[] buffers, Work work) {
        enqueue(stream, op, Engine.COMPUTE, buffers, work);
    }

    /**
     * Like {@link #enqueue(Stream, String, Arg[], Work)}, for work that occupies another engine
     * than the compute engine (a library's own copy, say): timelines show it there.
     *
     * @param stream where the work runs
     * @param op what it is, for hazard messages and timelines (e.g. {@code cublasSgemm})
     * @param engine the engine it occupies
     * @param buffers every buffer it uses and how
     * @param work the enqueueing call
     * @throws org.jgpu.HazardException in CHECK mode if the work races with other work
     * @throws IllegalArgumentException if an argument is null, the stream was not created by
     *         jgpu, or a buffer belongs to another context
     * @throws IllegalStateException if the stream or a buffer is closed
     */
    public static void enqueue(Stream stream, String op, Engine engine, Arg[] buffers, Work work) {
        notNull(stream, "stream");
        notNull(op, "op");
        notNull(engine, "engine");
        notNull(buffers, "buffers");
        notNull(work, "work");
        core(stream).enqueue(op, engine, buffers, work);
    }

    /**
     * The one object of a type that a library binds to a stream (a cuBLAS handle, say): made by
     * {@code create} on first use, the same object on every later call, and closed when the
     * stream closes, before its backend stream is destroyed (a failure to close is kept for the
     * context's next synchronize).
     *
     * <pre>{@code
     * Handle h = Extensions.attachment(stream, Handle.class, nativeStream -> new Handle(nativeStream));
     * }</pre>
     *
     * @param stream an open stream
     * @param type the attachment's type: one attachment per type and stream
     * @param create makes the attachment from the backend stream; called at most once per stream
     *               and type, while the stream is kept from closing. It must not ask this stream
     *               for another attachment (the table of attachments is being updated), and the
     *               attachment must not refer to the {@link Stream}: the stream keeps it, so a
     *               reference back would keep a stream dropped unclosed from being collected and
     *               reported as a leak
     * @param <T> the attachment's type
     * @return the stream's attachment of that type
     * @throws IllegalArgumentException if the stream was not created by jgpu
     * @throws IllegalStateException if the stream is closed
     */
    public static <T extends AutoCloseable> T attachment(Stream stream, Class<T> type,
            Function<NativeStream, ? extends T> create) {
        notNull(stream, "stream");
        notNull(type, "type");
        notNull(create, "create");
        return core(stream).attachment(type, create);
    }

    /**
     * Takes an attachment off its stream before the stream closes, so that its owner can close it
     * early; a later {@link #attachment} call makes a new one.
     *
     * @param stream the stream
     * @param type the attachment's type
     * @param attachment the attachment that {@link #attachment} gave
     * @return true if it was attached and is now detached (the caller closes it); false if the
     *         stream already closed it or another attachment of the type is there
     * @throws IllegalArgumentException if the stream was not created by jgpu
     */
    public static boolean detach(Stream stream, Class<?> type, AutoCloseable attachment) {
        notNull(stream, "stream");
        notNull(type, "type");
        return core(stream).detach(type, attachment);
    }

    /** @throws IllegalArgumentException if the stream is null or was not created by jgpu */
    private static ExtensibleStream core(Stream stream) {
        notNull(stream, "stream");
        if (!(stream instanceof ExtensibleStream s)) {
            throw new IllegalArgumentException("stream '" + stream.name() + "' was not created by jgpu");
        }
        return s;
    }

    private static void notNull(Object value, String name) {
        if (value == null) {
            throw new IllegalArgumentException(name + " must not be null");
        }
    }
}
