package org.jgpu.cuda;

import jcuda.driver.CUstream;
import org.jgpu.Context;
import org.jgpu.Stream;
import org.jgpu.cuda.driver.StreamInterop;

/**
 * jgpu streams and JCuda's {@code CUstream}s, for code that uses both: hand a jgpu stream to a
 * JCuda call, or take a stream made with JCuda into jgpu as a borrowed stream.
 *
 * <pre>{@code
 * CUstream mine = new CUstream();
 * cuStreamCreate(mine, 0);
 * try (Stream s = CudaStreams.borrow(ctx, mine, "mine")) {   // hazard-tracked, not owned
 *     s.launch(kernel, config, buffer);
 * }                                                          // detached: mine still usable
 * cuStreamDestroy(mine);                                     // the owner destroys it
 * }</pre>
 */
public final class CudaStreams {
    private CudaStreams() {
    }

    /**
     * @param context a context of the CUDA backend
     * @param stream a stream of the device's primary context, made and destroyed by the caller
     * @param name a name for messages, or null for a generated one
     * @return the borrowed stream (see {@link Context#borrowStream(long, String)})
     * @throws IllegalArgumentException if an argument is null, the context is not a CUDA one, or
     *         the stream cannot be borrowed (the message says why)
     * @throws IllegalStateException if the context is closed
     */
    public static Stream borrow(Context context, CUstream stream, String name) {
        if (context == null || stream == null) {
            throw new IllegalArgumentException((context == null ? "context" : "stream") + " must not be null");
        }
        requireCuda(context, "borrow a CUstream");
        return context.borrowStream(StreamInterop.address(stream), name);
    }

    /**
     * @param stream an open stream of the CUDA backend
     * @return its driver handle, for JCuda calls (it owns nothing: do not destroy it unless you
     *         made it)
     * @throws IllegalArgumentException if stream is null or not a CUDA stream
     * @throws IllegalStateException if the stream is closed
     */
    public static CUstream handleOf(Stream stream) {
        if (stream == null) {
            throw new IllegalArgumentException("stream must not be null");
        }
        requireCuda(stream.context(), "give a CUstream for stream '" + stream.name() + "'");
        return StreamInterop.stream(stream.nativeHandle());
    }

    private static void requireCuda(Context context, String what) {
        String backend = context.device().backend();
        if (!"cuda".equals(backend)) {
            throw new IllegalArgumentException("cannot " + what + ": " + context.name() + " runs on the " + backend
                    + " backend, not cuda");
        }
    }
}
