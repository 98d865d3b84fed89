package org.jgpu.cuda.blas;

import org.jgpu.DeviceBuffer;
import org.jgpu.Stream;

/**
 * Single-precision BLAS bound to a {@link Stream}: cuBLAS on the CUDA backend, Java twins on the
 * host backend, the same results either way. Matrices are dense and row-major (as Java arrays
 * are), with no padding between rows. Every call is asynchronous on the stream, checked for
 * shapes (naming the buffer, the size needed and the size it has) and seen by the hazard checker.
 *
 * <pre>{@code
 * try (Blas blas = Blas.on(stream)) {
 *     blas.sgemm(Transpose.NONE, Transpose.NONE, m, n, k, 1f, a, b, 0f, c);   // c = a * b
 *     blas.saxpy(n, -0.01f, grad, weights);                                   // weights -= 0.01 * grad
 * }
 * }</pre>
 */
public interface Blas extends AutoCloseable {

    /**
     * A BLAS bound to {@code stream}.
     *
     * @param stream the stream every call enqueues on
     * @return cuBLAS on the CUDA backend, the Java twins on the host backend
     * @throws org.jgpu.BackendUnavailableException on CUDA when cuBLAS cannot be loaded: the
     *         message names the missing library and what to install (or, for another link
     *         failure, says what it is); {@link #unavailableReason(String)} tells in advance
     * @throws UnsupportedOperationException for another backend
     * @throws org.jgpu.GpuException if cuBLAS loads but cannot make a handle
     */
    static Blas on(Stream stream) {
        String backend = stream.context().device().backend();
        switch (backend) {
            case "cuda": return CublasBlas.create(stream);
            case "host": return new HostBlas(stream);
            default: throw new UnsupportedOperationException("no BLAS for the " + backend + " backend");
        }
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
    static java.util.Optional<String> unavailableReason(String backend) {
        if (backend == null) {
            throw new IllegalArgumentException("backend must not be null: pass a backend name such as \"cuda\" or \"host\"");
        }
        switch (backend) {
            case "cuda": return java.util.Optional.ofNullable(CublasLibrary.status().reason());
            case "host": return java.util.Optional.empty();
            default: return java.util.Optional.of("no BLAS for the " + backend + " backend");
        }
    }

    /** @return the stream calls enqueue on */
    Stream stream();

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
     * @throws IllegalArgumentException if a dimension is below 1 or a buffer is too small
     */
    void sgemm(Transpose ta, Transpose tb, int m, int n, int k, float alpha, DeviceBuffer a, DeviceBuffer b, float beta,
            DeviceBuffer c);

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
     * @throws IllegalArgumentException if a dimension is below 1 or a buffer is too small
     */
    void sgemv(Transpose ta, int m, int n, float alpha, DeviceBuffer a, DeviceBuffer x, float beta, DeviceBuffer y);

    /**
     * {@code y = alpha * x + y} over n elements.
     *
     * @param n elements
     * @param alpha scales x
     * @param x the input
     * @param y the result
     * @throws IllegalArgumentException if n is below 1 or a buffer is too small
     */
    void saxpy(int n, float alpha, DeviceBuffer x, DeviceBuffer y);

    /**
     * The dot product of x and y, written to {@code result} (one float) asynchronously.
     *
     * @param n elements
     * @param x first vector
     * @param y second vector
     * @param result where the float goes
     * @throws IllegalArgumentException if n is below 1 or a buffer is too small
     */
    void sdot(int n, DeviceBuffer x, DeviceBuffer y, DeviceBuffer result);

    /**
     * Waits for calls in flight on other threads and for the stream's work, then releases the
     * library handle, even if the wait failed. Later calls throw {@link IllegalStateException};
     * closing again does nothing. Thread-safe.
     *
     * @throws org.jgpu.AsyncOperationException if the stream's work failed (the handle is
     *         released anyway; a failure to release is suppressed in it)
     * @throws org.jgpu.GpuException if the handle cannot be released
     */
    @Override
    void close();
}
