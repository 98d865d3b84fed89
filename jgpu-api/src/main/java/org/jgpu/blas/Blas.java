package org.jgpu.blas;

import java.util.Optional;
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
    /** What the stream keeps: the backend's BLAS and its state, shared with the stream's close. */
    private final BlasBinding binding;
    private final BlasBackend backend;

    /**
     * @param stream the stream the calls enqueue on
     * @param binding the stream's attachment
     */
    Blas(Stream stream, BlasBinding binding) {
        this.stream = stream;
        this.binding = binding;
        this.backend = binding.backend;
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
        while (true) {
            BlasBinding b = Extensions.attachment(stream, BlasBinding.class, nat -> open(stream, nat));
            if (!b.isClosed()) {
                return b.face(stream);
            }
            // an early close is under way: it takes the binding off the stream before it ends
            b.awaitReleased();
        }
    }

    /** Makes the stream's BLAS; called once per stream (until it is closed), while the stream is kept open. */
    private static BlasBinding open(Stream stream, NativeStream nat) {
        String name = stream.context().device().backend();
        BlasProvider provider = BlasProviders.find(name);
        if (provider == null) {
            throw new UnsupportedOperationException(BlasProviders.noProvider(name));
        }
        return new BlasBinding(provider.open(stream, nat));
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

    /** @return false once this BLAS is closing or closed, by {@link #close()} or with its stream */
    public boolean isOpen() {
        return !binding.isClosed();
    }

    /** @return the stream calls enqueue on */
    public Stream stream() {
        return stream;
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
        binding.enter(this);
        try {
            BlasShapes.sgemm(m, n, k, a, b, c, ta, tb);
            backend.sgemm(stream, ta, tb, m, n, k, alpha, a, b, beta, c);
        } finally {
            binding.exit();
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
        binding.enter(this);
        try {
            BlasShapes.sgemv(ta, m, n, a, x, y);
            backend.sgemv(stream, ta, m, n, alpha, a, x, beta, y);
        } finally {
            binding.exit();
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
        binding.enter(this);
        try {
            BlasShapes.vectors("saxpy", n, x, y);
            backend.saxpy(stream, n, alpha, x, y);
        } finally {
            binding.exit();
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
        binding.enter(this);
        try {
            BlasShapes.vectors("sdot", n, x, y);
            BlasShapes.holds("sdot", "result", result, 1, "1");
            backend.sdot(stream, n, x, y, result);
        } finally {
            binding.exit();
        }
    }

    /**
     * Ends this BLAS before its stream closes: waits for the calls in flight on other threads
     * and for the stream's work, then releases the library handle (even if the wait failed) and
     * takes it off the stream, so that a later {@link #on(Stream)} makes a new one. If the stream
     * is closing meanwhile, its close waits for its work and this waits for that. Later calls on
     * this object throw {@link IllegalStateException}; closing again, on any thread, returns once
     * the first close has released the handle. The object is shared by every caller of
     * {@code Blas.on(stream)}, so close it early only where no other thread still uses it; else
     * leave it to the stream, which closes it (a failure then is kept for the context's next
     * synchronize).
     *
     * @throws IllegalStateException naming this BLAS if its stream cannot be synchronized now
     *         (it is capturing a graph); it stays open
     * @throws org.jgpu.AsyncOperationException if the stream's work failed (the handle is
     *         released anyway; a failure to release is suppressed in it)
     * @throws org.jgpu.GpuException if the handle cannot be released
     */
    @Override
    public void close() {
        RuntimeException failure = null;
        try {
            // first while still open, so that a close refused (a capture) changes nothing
            stream.synchronize();
        } catch (IllegalStateException e) {
            if (stream.isOpen() && !binding.isClosed()) {
                throw new IllegalStateException(this + " cannot close now: " + e.getMessage(), e);
            }
        } catch (RuntimeException e) {
            failure = e;
        }
        if (!binding.beginClose()) {
            binding.awaitReleased();
            return;
        }
        try {
            try {
                stream.synchronize();   // what the calls that got in meanwhile enqueued
            } catch (IllegalStateException e) {
                if (stream.isOpen()) {
                    failure = addTo(failure, e);
                } else {
                    // closing: its close waits for the stream's work, then closes the binding,
                    // which finds this close under way and waits for the release below
                    binding.awaitStreamDone();
                }
            } catch (RuntimeException e) {
                failure = addTo(failure, e);
            }
            try {
                binding.release();
            } catch (RuntimeException e) {
                failure = addTo(failure, e);
            }
        } finally {
            // off the stream only once released: a stream closing meanwhile finds it, and its
            // close of it waits for the release before the backend stream is destroyed
            Extensions.detach(stream, BlasBinding.class, binding);
            binding.markReleased();
        }
        if (failure != null) {
            throw failure;
        }
    }

    private static RuntimeException addTo(RuntimeException first, RuntimeException next) {
        if (first == null) {
            return next;
        }
        first.addSuppressed(next);
        return first;
    }

    @Override
    public String toString() {
        return "BLAS on stream '" + stream.name() + "'";
    }
}
