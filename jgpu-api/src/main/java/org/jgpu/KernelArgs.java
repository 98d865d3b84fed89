package org.jgpu;

/**
 * A kernel's arguments kept from launch to launch, for hot loops: set what changes, then
 * {@link Stream#launch(Kernel, LaunchConfig, KernelArgs)}. Setting a scalar to the value it
 * already holds keeps the value it has, so a loop that changes only its buffers (or nothing)
 * launches without boxing or an argument array per call:
 *
 * <pre>{@code
 * KernelArgs a = saxpy.args().set(0, 2f).set(3, n);
 * for (Batch b : batches) {
 *     stream.launch(saxpy, cfg, a.set(1, b.x()).set(2, b.y()));
 * }
 * }</pre>
 *
 * <p>The values are checked at each launch, as for {@link Stream#launch(Kernel, LaunchConfig,
 * Object...)}, with the same messages; one never set is refused there as {@code null}. A launch
 * keeps nothing of them once it returns, so the next set may follow at once. Not thread-safe:
 * give each thread its own.
 */
public interface KernelArgs {
    /** @return the kernel the arguments are for */
    Kernel kernel();

    /**
     * @param index the parameter's index
     * @param buffer a {@link DeviceBuffer}, or a {@link HostBuffer} allocated with
     *     {@link HostAllocOption#MAPPED}
     * @return this
     * @throws IndexOutOfBoundsException if the kernel has no parameter {@code index}
     */
    KernelArgs set(int index, Buffer buffer);

    /**
     * @param index the parameter's index
     * @param arg a buffer with its declared access (a launch with one unwraps the arguments
     *     into an array of its own)
     * @return this
     * @throws IndexOutOfBoundsException if the kernel has no parameter {@code index}
     */
    KernelArgs set(int index, Arg arg);

    /**
     * @param index the parameter's index
     * @param value for a 32-bit integer parameter
     * @return this
     * @throws IndexOutOfBoundsException if the kernel has no parameter {@code index}
     */
    KernelArgs set(int index, int value);

    /**
     * @param index the parameter's index
     * @param value for a 64-bit integer parameter
     * @return this
     * @throws IndexOutOfBoundsException if the kernel has no parameter {@code index}
     */
    KernelArgs set(int index, long value);

    /**
     * @param index the parameter's index
     * @param value for a {@code float} parameter
     * @return this
     * @throws IndexOutOfBoundsException if the kernel has no parameter {@code index}
     */
    KernelArgs set(int index, float value);

    /**
     * @param index the parameter's index
     * @param value for a {@code double} parameter
     * @return this
     * @throws IndexOutOfBoundsException if the kernel has no parameter {@code index}
     */
    KernelArgs set(int index, double value);
}
