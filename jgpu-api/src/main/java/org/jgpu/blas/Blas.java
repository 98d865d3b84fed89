package org.jgpu.blas;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jgpu.DeviceBuffer;
import org.jgpu.Stream;
import org.jgpu.spi.Extensions;
import org.jgpu.spi.NativeStream;

/**
 * Single-precision BLAS bound to a {@link Stream}: cuBLAS on the CUDA backend, Java twins on the
 * host backend, the same results either way. Matrices are dense and row-major (as Java arrays
 * are), with no padding between rows. Every call is asynchronous on the stream, checked for
 * shapes (naming the buffer, the size needed and the size it has) and seen by the hazard checker.
 *
 * <p>A stream has one {@code Blas}: {@link #on(Stream)} makes it on first use and gives the same
 * object on every later call, from any thread, and the stream closes it when it closes. So a
 * caller need not keep it: {@code Blas.on(stream).saxpy(...)} in a loop costs a map lookup.
 * Calls may come from several threads at once; they enqueue on the stream in the order they
 * get in. {@link #close()} ends it early (a later {@code Blas.on(stream)} makes a new one).
 *
 * <pre>{@code
 * Blas blas = Blas.on(stream);                                           // the stream's BLAS
 * blas.sgemm(Transpose.NONE, Transpose.NONE, m, n, k, 1f, a, b, 0f, c);   // c = a * b
 * blas.saxpy(n, -0.01f, grad, weights);                                   // weights -= 0.01 * grad
 * }</pre>
 *
 * <p>The backend's BLAS is found through {@link BlasProvider}: jgpu-api serves the host
 * backend, jgpu-cuda the CUDA backend.
 */
public final class Blas implements AutoCloseable {
    private final Stream stream;
    private final BlasBackend backend;
    /** Set first by close: a call that sees it is refused. */
    private final AtomicBoolean closed = new AtomicBoolean();
    /** One permit per call in flight; close takes them all, so it waits for those calls. */
    private final Semaphore calls = new Semaphore(Integer.MAX_VALUE);
    /** Completed once the closer has released the backend's handle. */
    private final CompletableFuture<Void> released = new CompletableFuture<>();

    /**
     * @param stream the stream the calls enqueue on
     * @param backend the backend's BLAS bound to it
     */
    Blas(Stream stream, BlasBackend backend) {
        this.stream = stream;
        this.backend = backend;
    }

    /**
     * The stream's BLAS: made on first use, the same object on every later call until it is
     * closed, by {@link #close()} or with the stream.
     *
     * @param stream the stream every call enqueues on
     * @return cuBLAS on the CUDA backend, the Java twins on the host backend
     * @throws IllegalArgumentException if stream is null or was not created by jgpu
     * @throws IllegalStateException if the stream is closed
     * @throws org.jgpu.BackendUnavailableException on CUDA when cuBLAS cannot be loaded: the
     *         message names the missing library and what to install (or, for another link
     *         failure, says what it is); {@link #unavailableReason(String)} tells in advance
     * @throws UnsupportedOperationException if no {@link BlasProvider} on the class path serves
     *         the stream's backend
     * @throws org.jgpu.GpuException if cuBLAS loads but cannot make a handle
     */
    public static Blas on(Stream stream) {
        if (stream == null) {
            throw new IllegalArgumentException("stream must not be null: pass the stream the BLAS calls enqueue on");
        }
        return Extensions.attachment(stream, Blas.class, nat -> open(stream, nat));
    }

    /** Makes the stream's BLAS; called once per stream (until it is closed), while the stream is kept open. */
    private static Blas open(Stream stream, NativeStream nat) {
        String name = stream.context().device().backend();
        BlasProvider provider = BlasProviders.find(name);
        if (provider == null) {
            throw new UnsupportedOperationException(BlasProviders.noProvider(name));
        }
        return new Blas(stream, provider.open(stream, nat));
    }

    /**
     * Whether {@link #on(Stream)} can give a BLAS on a backend here, without a device: on CUDA,
     * whether JCublas and the cuBLAS library it links against load (tried once per JVM). A test
     * can skip with the reason: {@code assumeTrue(reason.isEmpty(), reason::get)}.
     *
     * @param backend a backend name, as {@link org.jgpu.DeviceInfo#backend()} gives it
     * @return empty if BLAS can be used there, else one line saying why not and what to do
     * @throws IllegalArgumentException if backend is null
     */
    public static Optional<String> unavailableReason(String backend) {
        if (backend == null) {
            throw new IllegalArgumentException("backend must not be null: pass a backend name such as \"cuda\" or \"host\"");
        }
        BlasProvider provider = BlasProviders.find(backend);
        return provider == null ? Optional.of(BlasProviders.noProvider(backend)) : provider.unavailableReason();
    }

    /** @return the stream calls enqueue on */
    public Stream stream() {
        return stream;
    }

    /** Starts a call; pair with {@code calls.release()} in a finally block. */
    private void enter() {
        // counted first, checked after: the closer sets the flag first and counts after, so a
        // call is either counted before the closer takes the permits or sees the flag
        if (!closed.get() && calls.tryAcquire()) {
            if (!closed.get()) {
                return;
            }
            calls.release();
        }
        throw new IllegalStateException("BLAS on stream '" + stream.name() + "' is closed; make a new one with "
                + "Blas.on(stream)");
    }

    /**
     * {@code c = alpha * op(a) * op(b) + beta * c}, with op(a) m x k, op(b) k x n, c m x n.
     *
     * @param ta whether a is stored transposed (k x m)
     * @param tb whether b is stored transposed (n x k)
     * @param m rows of op(a) and c
     * @param n columns of op(b) and c
     * @param k columns of op(a), rows of op(b)
     * @param alpha scales the product
     * @param a the first matrix
     * @param b the second matrix
     * @param beta scales c
     * @param c the result
     * @throws IllegalArgumentException if a dimension is below 1, a buffer is too small, or a
     *         buffer belongs to another context
     * @throws IllegalStateException if this BLAS, its stream or a buffer is closed
     * @throws org.jgpu.HazardException in CHECK mode if the call races with other work
     */
    public void sgemm(Transpose ta, Transpose tb, int m, int n, int k, float alpha, DeviceBuffer a, DeviceBuffer b,
            float beta, DeviceBuffer c) {
        enter();
        try {
            BlasShapes.sgemm(m, n, k, a, b, c, ta, tb);
            backend.sgemm(ta, tb, m, n, k, alpha, a, b, beta, c);
        } finally {
            calls.release();
        }
    }

    /**
     * {@code y = alpha * op(a) * x + beta * y}, a stored m x n.
     *
     * @param ta whether to use a transposed (then x has m elements and y n)
     * @param m rows of a
     * @param n columns of a
     * @param alpha scales the product
     * @param a the matrix
     * @param x the vector
     * @param beta scales y
     * @param y the result
     * @throws IllegalArgumentException if a dimension is below 1, a buffer is too small, or a
     *         buffer belongs to another context
     * @throws IllegalStateException if this BLAS, its stream or a buffer is closed
     * @throws org.jgpu.HazardException in CHECK mode if the call races with other work
     */
    public void sgemv(Transpose ta, int m, int n, float alpha, DeviceBuffer a, DeviceBuffer x, float beta, DeviceBuffer y) {
        enter();
        try {
            BlasShapes.sgemv(ta, m, n, a, x, y);
            backend.sgemv(ta, m, n, alpha, a, x, beta, y);
        } finally {
            calls.release();
        }
    }

    /**
     * {@code y = alpha * x + y} over n elements.
     *
     * @param n elements
     * @param alpha scales x
     * @param x the input
     * @param y the result
     * @throws IllegalArgumentException if n is below 1, a buffer is too small, or a buffer
     *         belongs to another context
     * @throws IllegalStateException if this BLAS, its stream or a buffer is closed
     * @throws org.jgpu.HazardException in CHECK mode if the call races with other work
     */
    public void saxpy(int n, float alpha, DeviceBuffer x, DeviceBuffer y) {
        enter();
        try {
            BlasShapes.vectors("saxpy", n, x, y);
            backend.saxpy(n, alpha, x, y);
        } finally {
            calls.release();
        }
    }

    /**
     * The dot product of x and y, written to {@code result} (one float) asynchronously.
     *
     * @param n elements
     * @param x first vector
     * @param y second vector
     * @param result where the float goes
     * @throws IllegalArgumentException if n is below 1, a buffer is too small, or a buffer
     *         belongs to another context
     * @throws IllegalStateException if this BLAS, its stream or a buffer is closed
     * @throws org.jgpu.HazardException in CHECK mode if the call races with other work
     */
    public void sdot(int n, DeviceBuffer x, DeviceBuffer y, DeviceBuffer result) {
        enter();
        try {
            BlasShapes.vectors("sdot", n, x, y);
            BlasShapes.holds("sdot", "result", result, 1, "1");
            backend.sdot(n, x, y, result);
        } finally {
            calls.release();
        }
    }

    /**
     * Ends this BLAS before its stream closes: waits for the calls in flight on other threads
     * and for the stream's work (if the stream is still open: a closed stream waited for its
     * work); then releases the library handle, even if the wait failed, and takes it off the
     * stream, so that a later {@link #on(Stream)} makes a new one. Later calls on this object
     * throw {@link IllegalStateException}; closing again, on any thread, returns once the first
     * close has released the handle. The object is shared by every caller of
     * {@code Blas.on(stream)}, so close it early only where no other thread still uses it; else
     * leave it to the stream, which closes it (a failure then is kept for the context's next
     * synchronize).
     *
     * @throws org.jgpu.AsyncOperationException if the stream's work failed (the handle is
     *         released anyway; a failure to release is suppressed in it)
     * @throws org.jgpu.GpuException if the handle cannot be released
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            released.join();
            return;
        }
        RuntimeException failure = null;
        try {
            calls.acquireUninterruptibly(Integer.MAX_VALUE);
            try {
                if (stream.isOpen()) {
                    stream.synchronize();
                }
            } catch (IllegalStateException e) {
                if (stream.isOpen()) {   // closed meanwhile: its own close waited for its work
                    failure = e;
                }
            } catch (RuntimeException e) {
                failure = e;
            }
            try {
                backend.close();
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        } finally {
            // taken off only now: a stream closing meanwhile still finds it, and its close of it
            // waits for this release before the backend stream is destroyed
            Extensions.detach(stream, Blas.class, this);
            released.complete(null);
        }
        if (failure != null) {
            throw failure;
        }
    }

    @Override
    public String toString() {
        return "BLAS on stream '" + stream.name() + "'";
    }
}
