package org.jgpu.blas;

import org.jgpu.DeviceBuffer;
import org.jgpu.Stream;

/**
 * A backend's BLAS bound to one stream, as a {@link BlasProvider} makes it. {@link Blas} calls
 * it only while it is open, after the shape checks, and closes it once, after the calls in
 * flight and the stream's work; the arguments mean what they mean on {@link Blas}. Each call
 * enqueues on the stream and returns (through {@link org.jgpu.spi.Extensions#enqueue} or a
 * kernel launch, so that the hazard checker sees it), throwing what that enqueue throws (a
 * closed stream or buffer, a buffer of another context, a hazard: see {@link Blas}); calls may
 * come from several threads. Each call gets the stream to enqueue on: the backend must not keep
 * it, because the stream keeps the backend (as its attachment) and a reference back would keep
 * a stream that is dropped unclosed from being reported as leaked.
 */
public interface BlasBackend extends AutoCloseable {

    /**
     * Enqueues {@code c = alpha * op(a) * op(b) + beta * c}.
     *
     * @param stream the stream to enqueue on (not to be kept)
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
     * @see Blas#sgemm
     */
    void sgemm(Stream stream, Transpose ta, Transpose tb, int m, int n, int k, float alpha, DeviceBuffer a, DeviceBuffer b, float beta,
            DeviceBuffer c);

    /**
     * Enqueues {@code y = alpha * op(a) * x + beta * y}.
     *
     * @param stream the stream to enqueue on (not to be kept)
     * @param ta whether to use a transposed (then x has m elements and y n)
     * @param m rows of a
     * @param n columns of a
     * @param alpha scales the product
     * @param a the matrix
     * @param x the vector
     * @param beta scales y
     * @param y the result
     * @see Blas#sgemv
     */
    void sgemv(Stream stream, Transpose ta, int m, int n, float alpha, DeviceBuffer a, DeviceBuffer x, float beta, DeviceBuffer y);

    /**
     * Enqueues {@code y = alpha * x + y}.
     *
     * @param stream the stream to enqueue on (not to be kept)
     * @param n elements
     * @param alpha scales x
     * @param x the input
     * @param y the result
     * @see Blas#saxpy
     */
    void saxpy(Stream stream, int n, float alpha, DeviceBuffer x, DeviceBuffer y);

    /**
     * Enqueues the dot product of x and y into {@code result}.
     *
     * @param stream the stream to enqueue on (not to be kept)
     * @param n elements
     * @param x first vector
     * @param y second vector
     * @param result where the float goes
     * @see Blas#sdot
     */
    void sdot(Stream stream, int n, DeviceBuffer x, DeviceBuffer y, DeviceBuffer result);

    /**
     * Releases the library handle. The stream's work is done or failed, and no call is in
     * flight; the stream may be closed already (its backend stream is not yet destroyed).
     *
     * @throws org.jgpu.GpuException if the handle cannot be released
     */
    @Override
    void close();
}
