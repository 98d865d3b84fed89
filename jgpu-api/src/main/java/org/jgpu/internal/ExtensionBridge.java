package org.jgpu.internal;

import org.jgpu.Arg;
import org.jgpu.Stream;
import org.jgpu.internal.hazard.Touch;
import org.jgpu.spi.DevicePointer;
import org.jgpu.spi.Extensions;

/** The implementation behind {@link Extensions}: a public door into the core for it alone. */
public final class ExtensionBridge {
    private ExtensionBridge() {
    }

    /**
     * @param ctx a context
     * @return its traced work since the last call
     * @see org.jgpu.trace.Tracing#timeline(org.jgpu.Context)
     */
    public static org.jgpu.trace.Timeline timeline(org.jgpu.Context ctx) {
        Checks.notNull(ctx, "ctx");
        if (!(ctx instanceof CoreContext)) {
            throw new IllegalArgumentException(ctx.name() + " was not created by jgpu");
        }
        return ((CoreContext) ctx).timeline();
    }

    /**
     * @param stream an open stream
     * @return its backend stream
     * @see Extensions#nativeStream(Stream)
     */
    public static org.jgpu.spi.NativeStream nativeStream(Stream stream) {
        Checks.notNull(stream, "stream");
        if (!(stream instanceof CoreStream)) {
            throw new IllegalArgumentException("stream '" + stream.name() + "' was not created by jgpu");
        }
        CoreStream s = (CoreStream) stream;
        s.ensureOpen();
        return s.nat;
    }

    /**
     * @param stream where the work runs
     * @param op what it is
     * @param buffers what it uses
     * @param work the enqueueing call
     * @see Extensions#enqueue(Stream, String, Arg[], Extensions.Work)
     */
    public static void enqueue(Stream stream, String op, Arg[] buffers, Extensions.Work work) {
        Checks.notNull(stream, "stream");
        Checks.notNull(op, "op");
        Checks.notNull(buffers, "buffers");
        Checks.notNull(work, "work");
        if (!(stream instanceof CoreStream)) {
            throw new IllegalArgumentException("stream '" + stream.name() + "' was not created by jgpu");
        }
        CoreStream s = (CoreStream) stream;
        DevicePointer[] pointers = new DevicePointer[buffers.length];
        Touch[] touches = new Touch[buffers.length];
        for (int i = 0; i < buffers.length; i++) {
            Checks.notNull(buffers[i], "buffers[" + i + "]");
            CoreBuffer b = s.ctx.own(buffers[i].buffer(), op + " buffer " + i);
            b.ensureOpen();
            pointers[i] = new DevicePointer(b.memory(), b.base(), b.size());
            touches[i] = b.touch(0, b.size(), buffers[i].access().reads(), buffers[i].access().writes());
        }
        s.ctx.enqueue(s, op, () -> work.enqueue(s.nat, pointers), touches);
    }

    /**
     * @param stream an open stream
     * @param type the attachment's type
     * @param create makes it from the backend's stream
     * @return the stream's one attachment of that type
     * @see Extensions#attachment(Stream, Class, java.util.function.Function)
     */
    public static <T extends AutoCloseable> T attachment(Stream stream, Class<T> type,
            java.util.function.Function<org.jgpu.spi.NativeStream, ? extends T> create) {
        Checks.notNull(stream, "stream");
        Checks.notNull(type, "type");
        Checks.notNull(create, "create");
        if (!(stream instanceof CoreStream s)) {
            throw new IllegalArgumentException("stream '" + stream.name() + "' was not created by jgpu");
        }
        return s.attachment(type, create);
    }

    /**
     * @param stream a stream
     * @param type the attachment's type
     * @param attachment the attachment
     * @return true if it was attached and is now detached
     * @see Extensions#detach(Stream, Class, AutoCloseable)
     */
    public static boolean detach(Stream stream, Class<?> type, AutoCloseable attachment) {
        Checks.notNull(stream, "stream");
        Checks.notNull(type, "type");
        if (!(stream instanceof CoreStream s)) {
            throw new IllegalArgumentException("stream '" + stream.name() + "' was not created by jgpu");
        }
        return s.detach(type, attachment);
    }
}
