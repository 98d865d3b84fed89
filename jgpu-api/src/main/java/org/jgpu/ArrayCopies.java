package org.jgpu;

import java.util.concurrent.CompletableFuture;

/**
 * Asynchronous copies between Java arrays and device buffers, in one call: the part of
 * {@link Stream} that stages arrays through pinned memory.
 *
 * <pre>{@code
 * upload.upload(batch, dev);                          // returns at once; batch may be reused
 * compute.waitFor(upload.record());
 * compute.launch(scale, LaunchConfig.forElements(n), dev, 2.0f, n);
 * compute.download(dev, result).thenAccept(r -> show(r));
 * }</pre>
 *
 * <p>An upload copies the array range into pinned staging memory before it returns, so the
 * caller may reuse the array at once, and enqueues the copy to the device; a download enqueues
 * the copy into staging memory, then the copy of the staged bytes into the array, in stream
 * order: once {@link Stream#synchronize()} (or the returned future) completes, the array holds
 * the values. Element {@code i} of the range goes to or comes from bytes
 * {@code [i * size, (i + 1) * size)} at the start of the device buffer (the element size of the
 * type: 4 for {@code float} and {@code int}, 8 for {@code long} and {@code double}, 1 for
 * {@code byte}); slice the buffer to reach elsewhere. The device buffer is hazard-checked as in
 * any copy; an upload, which returns no future, orders nothing for the hazard checker even once
 * done (order later work with an event), while a completed download's future counts as a wait,
 * as {@link Stream#onComplete()} does.
 *
 * <p>The staging memory comes from pinned buffers the context keeps, one pool per power-of-two
 * size (at least 4 KiB, at most 4 buffers each), pinned on first use and kept until the context
 * closes; a staging buffer is used again only after the copy that used it is done, so a fifth
 * transfer of one size class in flight waits for the first to finish. For data that moves
 * every iteration, a {@link HostBuffer} of your own (or a {@link HostBufferPool}) saves the
 * extra copy through the array. Neither can be captured into a graph (a replay would read
 * staging memory long given back): capture {@code copy(hostBuffer, dst)} instead.
 */
public interface ArrayCopies {

    /**
     * Uploads all of {@code src} to the start of {@code dst}; see
     * {@link #upload(float[], int, int, DeviceBuffer)}.
     *
     * @param src the values, free to reuse when this returns
     * @param dst device memory of at least {@code 4 * src.length} bytes
     * @throws IllegalArgumentException if an argument is null, dst is too small (the message names
     *         the stream, the buffer and both sizes) or belongs to another context
     * @throws IllegalStateException if the stream or dst is closed, or the stream captures a graph
     * @throws HazardException in {@link HazardMode#CHECK} if the copy races with other work
     */
    default void upload(float[] src, DeviceBuffer dst) {
        upload(src, 0, length(src, "src"), dst);
    }

    /**
     * Uploads {@code src[offset, offset + length)} to the start of {@code dst}, asynchronously:
     * the values are staged in pinned memory before this returns.
     *
     * @param src the values, free to reuse when this returns
     * @param offset first element of src
     * @param length elements
     * @param dst device memory of at least {@code 4 * length} bytes
     * @throws IllegalArgumentException if an argument is null, dst is too small (the message names
     *         the stream, the buffer and both sizes) or belongs to another context
     * @throws IndexOutOfBoundsException if the range falls outside src (named, with its length)
     * @throws IllegalStateException if the stream or dst is closed, or the stream captures a graph
     * @throws HazardException in {@link HazardMode#CHECK} if the copy races with other work
     */
    void upload(float[] src, int offset, int length, DeviceBuffer dst);

    /**
     * Downloads the start of {@code src} into all of {@code dst}; see
     * {@link #download(DeviceBuffer, float[], int, int)}.
     *
     * @param src device memory of at least {@code 4 * dst.length} bytes
     * @param dst filled in stream order; do not touch it before the future completes
     * @return a future of {@code dst}, completed once it is filled
     * @throws IllegalArgumentException if an argument is null, src is too small (the message names
     *         the stream, the buffer and both sizes) or belongs to another context
     * @throws IllegalStateException if the stream or src is closed, or the stream captures a graph
     * @throws HazardException in {@link HazardMode#CHECK} if the copy races with other work
     */
    default CompletableFuture<float[]> download(DeviceBuffer src, float[] dst) {
        return download(src, dst, 0, length(dst, "dst"));
    }

    /**
     * Downloads the start of {@code src} into {@code dst[offset, offset + length)},
     * asynchronously: the array is filled in stream order, so it holds the values once
     * {@link Stream#synchronize()} returns or the future completes. If the copy fails, the
     * future completes exceptionally with the failure, which the stream's next
     * {@code synchronize()} throws too.
     *
     * @param src device memory of at least {@code 4 * length} bytes
     * @param dst filled in stream order; do not touch the range before the future completes
     * @param offset first element of dst
     * @param length elements
     * @return a future of {@code dst}, completed on the callback executor once it is filled
     * @throws IllegalArgumentException if an argument is null, src is too small (the message names
     *         the stream, the buffer and both sizes) or belongs to another context
     * @throws IndexOutOfBoundsException if the range falls outside dst (named, with its length)
     * @throws IllegalStateException if the stream or src is closed, or the stream captures a graph
     * @throws HazardException in {@link HazardMode#CHECK} if the copy races with other work
     */
    CompletableFuture<float[]> download(DeviceBuffer src, float[] dst, int offset, int length);

    /**
     * Uploads all of {@code src} to the start of {@code dst}; see
     * {@link #upload(int[], int, int, DeviceBuffer)}.
     *
     * @param src the values, free to reuse when this returns
     * @param dst device memory of at least {@code 4 * src.length} bytes
     * @throws IllegalArgumentException if an argument is null, dst is too small (the message names
     *         the stream, the buffer and both sizes) or belongs to another context
     * @throws IllegalStateException if the stream or dst is closed, or the stream captures a graph
     * @throws HazardException in {@link HazardMode#CHECK} if the copy races with other work
     */
    default void upload(int[] src, DeviceBuffer dst) {
        upload(src, 0, length(src, "src"), dst);
    }

    /**
     * Uploads {@code src[offset, offset + length)} to the start of {@code dst}, asynchronously:
     * the values are staged in pinned memory before this returns.
     *
     * @param src the values, free to reuse when this returns
     * @param offset first element of src
     * @param length elements
     * @param dst device memory of at least {@code 4 * length} bytes
     * @throws IllegalArgumentException if an argument is null, dst is too small (the message names
     *         the stream, the buffer and both sizes) or belongs to another context
     * @throws IndexOutOfBoundsException if the range falls outside src (named, with its length)
     * @throws IllegalStateException if the stream or dst is closed, or the stream captures a graph
     * @throws HazardException in {@link HazardMode#CHECK} if the copy races with other work
     */
    void upload(int[] src, int offset, int length, DeviceBuffer dst);

    /**
     * Downloads the start of {@code src} into all of {@code dst}; see
     * {@link #download(DeviceBuffer, int[], int, int)}.
     *
     * @param src device memory of at least {@code 4 * dst.length} bytes
     * @param dst filled in stream order; do not touch it before the future completes
     * @return a future of {@code dst}, completed once it is filled
     * @throws IllegalArgumentException if an argument is null, src is too small (the message names
     *         the stream, the buffer and both sizes) or belongs to another context
     * @throws IllegalStateException if the stream or src is closed, or the stream captures a graph
     * @throws HazardException in {@link HazardMode#CHECK} if the copy races with other work
     */
    default CompletableFuture<int[]> download(DeviceBuffer src, int[] dst) {
        return download(src, dst, 0, length(dst, "dst"));
    }

    /**
     * Downloads the start of {@code src} into {@code dst[offset, offset + length)},
     * asynchronously: the array is filled in stream order, so it holds the values once
     * {@link Stream#synchronize()} returns or the future completes. If the copy fails, the
     * future completes exceptionally with the failure, which the stream's next
     * {@code synchronize()} throws too.
     *
     * @param src device memory of at least {@code 4 * length} bytes
     * @param dst filled in stream order; do not touch the range before the future completes
     * @param offset first element of dst
     * @param length elements
     * @return a future of {@code dst}, completed on the callback executor once it is filled
     * @throws IllegalArgumentException if an argument is null, src is too small (the message names
     *         the stream, the buffer and both sizes) or belongs to another context
     * @throws IndexOutOfBoundsException if the range falls outside dst (named, with its length)
     * @throws IllegalStateException if the stream or src is closed, or the stream captures a graph
     * @throws HazardException in {@link HazardMode#CHECK} if the copy races with other work
     */
    CompletableFuture<int[]> download(DeviceBuffer src, int[] dst, int offset, int length);

    /**
     * Uploads all of {@code src} to the start of {@code dst}; see
     * {@link #upload(long[], int, int, DeviceBuffer)}.
     *
     * @param src the values, free to reuse when this returns
     * @param dst device memory of at least {@code 8 * src.length} bytes
     * @throws IllegalArgumentException if an argument is null, dst is too small (the message names
     *         the stream, the buffer and both sizes) or belongs to another context
     * @throws IllegalStateException if the stream or dst is closed, or the stream captures a graph
     * @throws HazardException in {@link HazardMode#CHECK} if the copy races with other work
     */
    default void upload(long[] src, DeviceBuffer dst) {
        upload(src, 0, length(src, "src"), dst);
    }

    /**
     * Uploads {@code src[offset, offset + length)} to the start of {@code dst}, asynchronously:
     * the values are staged in pinned memory before this returns.
     *
     * @param src the values, free to reuse when this returns
     * @param offset first element of src
     * @param length elements
     * @param dst device memory of at least {@code 8 * length} bytes
     * @throws IllegalArgumentException if an argument is null, dst is too small (the message names
     *         the stream, the buffer and both sizes) or belongs to another context
     * @throws IndexOutOfBoundsException if the range falls outside src (named, with its length)
     * @throws IllegalStateException if the stream or dst is closed, or the stream captures a graph
     * @throws HazardException in {@link HazardMode#CHECK} if the copy races with other work
     */
    void upload(long[] src, int offset, int length, DeviceBuffer dst);

    /**
     * Downloads the start of {@code src} into all of {@code dst}; see
     * {@link #download(DeviceBuffer, long[], int, int)}.
     *
     * @param src device memory of at least {@code 8 * dst.length} bytes
     * @param dst filled in stream order; do not touch it before the future completes
     * @return a future of {@code dst}, completed once it is filled
     * @throws IllegalArgumentException if an argument is null, src is too small (the message names
     *         the stream, the buffer and both sizes) or belongs to another context
     * @throws IllegalStateException if the stream or src is closed, or the stream captures a graph
     * @throws HazardException in {@link HazardMode#CHECK} if the copy races with other work
     */
    default CompletableFuture<long[]> download(DeviceBuffer src, long[] dst) {
        return download(src, dst, 0, length(dst, "dst"));
    }

    /**
     * Downloads the start of {@code src} into {@code dst[offset, offset + length)},
     * asynchronously: the array is filled in stream order, so it holds the values once
     * {@link Stream#synchronize()} returns or the future completes. If the copy fails, the
     * future completes exceptionally with the failure, which the stream's next
     * {@code synchronize()} throws too.
     *
     * @param src device memory of at least {@code 8 * length} bytes
     * @param dst filled in stream order; do not touch the range before the future completes
     * @param offset first element of dst
     * @param length elements
     * @return a future of {@code dst}, completed on the callback executor once it is filled
     * @throws IllegalArgumentException if an argument is null, src is too small (the message names
     *         the stream, the buffer and both sizes) or belongs to another context
     * @throws IndexOutOfBoundsException if the range falls outside dst (named, with its length)
     * @throws IllegalStateException if the stream or src is closed, or the stream captures a graph
     * @throws HazardException in {@link HazardMode#CHECK} if the copy races with other work
     */
    CompletableFuture<long[]> download(DeviceBuffer src, long[] dst, int offset, int length);

    /**
     * Uploads all of {@code src} to the start of {@code dst}; see
     * {@link #upload(double[], int, int, DeviceBuffer)}.
     *
     * @param src the values, free to reuse when this returns
     * @param dst device memory of at least {@code 8 * src.length} bytes
     * @throws IllegalArgumentException if an argument is null, dst is too small (the message names
     *         the stream, the buffer and both sizes) or belongs to another context
     * @throws IllegalStateException if the stream or dst is closed, or the stream captures a graph
     * @throws HazardException in {@link HazardMode#CHECK} if the copy races with other work
     */
    default void upload(double[] src, DeviceBuffer dst) {
        upload(src, 0, length(src, "src"), dst);
    }

    /**
     * Uploads {@code src[offset, offset + length)} to the start of {@code dst}, asynchronously:
     * the values are staged in pinned memory before this returns.
     *
     * @param src the values, free to reuse when this returns
     * @param offset first element of src
     * @param length elements
     * @param dst device memory of at least {@code 8 * length} bytes
     * @throws IllegalArgumentException if an argument is null, dst is too small (the message names
     *         the stream, the buffer and both sizes) or belongs to another context
     * @throws IndexOutOfBoundsException if the range falls outside src (named, with its length)
     * @throws IllegalStateException if the stream or dst is closed, or the stream captures a graph
     * @throws HazardException in {@link HazardMode#CHECK} if the copy races with other work
     */
    void upload(double[] src, int offset, int length, DeviceBuffer dst);

    /**
     * Downloads the start of {@code src} into all of {@code dst}; see
     * {@link #download(DeviceBuffer, double[], int, int)}.
     *
     * @param src device memory of at least {@code 8 * dst.length} bytes
     * @param dst filled in stream order; do not touch it before the future completes
     * @return a future of {@code dst}, completed once it is filled
     * @throws IllegalArgumentException if an argument is null, src is too small (the message names
     *         the stream, the buffer and both sizes) or belongs to another context
     * @throws IllegalStateException if the stream or src is closed, or the stream captures a graph
     * @throws HazardException in {@link HazardMode#CHECK} if the copy races with other work
     */
    default CompletableFuture<double[]> download(DeviceBuffer src, double[] dst) {
        return download(src, dst, 0, length(dst, "dst"));
    }

    /**
     * Downloads the start of {@code src} into {@code dst[offset, offset + length)},
     * asynchronously: the array is filled in stream order, so it holds the values once
     * {@link Stream#synchronize()} returns or the future completes. If the copy fails, the
     * future completes exceptionally with the failure, which the stream's next
     * {@code synchronize()} throws too.
     *
     * @param src device memory of at least {@code 8 * length} bytes
     * @param dst filled in stream order; do not touch the range before the future completes
     * @param offset first element of dst
     * @param length elements
     * @return a future of {@code dst}, completed on the callback executor once it is filled
     * @throws IllegalArgumentException if an argument is null, src is too small (the message names
     *         the stream, the buffer and both sizes) or belongs to another context
     * @throws IndexOutOfBoundsException if the range falls outside dst (named, with its length)
     * @throws IllegalStateException if the stream or src is closed, or the stream captures a graph
     * @throws HazardException in {@link HazardMode#CHECK} if the copy races with other work
     */
    CompletableFuture<double[]> download(DeviceBuffer src, double[] dst, int offset, int length);

    /**
     * Uploads all of {@code src} to the start of {@code dst}; see
     * {@link #upload(byte[], int, int, DeviceBuffer)}.
     *
     * @param src the values, free to reuse when this returns
     * @param dst device memory of at least {@code 1 * src.length} bytes
     * @throws IllegalArgumentException if an argument is null, dst is too small (the message names
     *         the stream, the buffer and both sizes) or belongs to another context
     * @throws IllegalStateException if the stream or dst is closed, or the stream captures a graph
     * @throws HazardException in {@link HazardMode#CHECK} if the copy races with other work
     */
    default void upload(byte[] src, DeviceBuffer dst) {
        upload(src, 0, length(src, "src"), dst);
    }

    /**
     * Uploads {@code src[offset, offset + length)} to the start of {@code dst}, asynchronously:
     * the values are staged in pinned memory before this returns.
     *
     * @param src the values, free to reuse when this returns
     * @param offset first element of src
     * @param length elements
     * @param dst device memory of at least {@code 1 * length} bytes
     * @throws IllegalArgumentException if an argument is null, dst is too small (the message names
     *         the stream, the buffer and both sizes) or belongs to another context
     * @throws IndexOutOfBoundsException if the range falls outside src (named, with its length)
     * @throws IllegalStateException if the stream or dst is closed, or the stream captures a graph
     * @throws HazardException in {@link HazardMode#CHECK} if the copy races with other work
     */
    void upload(byte[] src, int offset, int length, DeviceBuffer dst);

    /**
     * Downloads the start of {@code src} into all of {@code dst}; see
     * {@link #download(DeviceBuffer, byte[], int, int)}.
     *
     * @param src device memory of at least {@code 1 * dst.length} bytes
     * @param dst filled in stream order; do not touch it before the future completes
     * @return a future of {@code dst}, completed once it is filled
     * @throws IllegalArgumentException if an argument is null, src is too small (the message names
     *         the stream, the buffer and both sizes) or belongs to another context
     * @throws IllegalStateException if the stream or src is closed, or the stream captures a graph
     * @throws HazardException in {@link HazardMode#CHECK} if the copy races with other work
     */
    default CompletableFuture<byte[]> download(DeviceBuffer src, byte[] dst) {
        return download(src, dst, 0, length(dst, "dst"));
    }

    /**
     * Downloads the start of {@code src} into {@code dst[offset, offset + length)},
     * asynchronously: the array is filled in stream order, so it holds the values once
     * {@link Stream#synchronize()} returns or the future completes. If the copy fails, the
     * future completes exceptionally with the failure, which the stream's next
     * {@code synchronize()} throws too.
     *
     * @param src device memory of at least {@code 1 * length} bytes
     * @param dst filled in stream order; do not touch the range before the future completes
     * @param offset first element of dst
     * @param length elements
     * @return a future of {@code dst}, completed on the callback executor once it is filled
     * @throws IllegalArgumentException if an argument is null, src is too small (the message names
     *         the stream, the buffer and both sizes) or belongs to another context
     * @throws IndexOutOfBoundsException if the range falls outside dst (named, with its length)
     * @throws IllegalStateException if the stream or src is closed, or the stream captures a graph
     * @throws HazardException in {@link HazardMode#CHECK} if the copy races with other work
     */
    CompletableFuture<byte[]> download(DeviceBuffer src, byte[] dst, int offset, int length);

    /** @throws IllegalArgumentException naming the argument if it is null; every jgpu call refuses null so */
    private static int length(Object array, String name) {
        if (array == null) {
            throw new IllegalArgumentException(name + " must not be null");
        }
        return java.lang.reflect.Array.getLength(array);
    }
}
