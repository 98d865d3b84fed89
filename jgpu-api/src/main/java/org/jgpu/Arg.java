package org.jgpu;

/**
 * A buffer argument with the access the caller declares, for the hazard checker: a
 * {@link DeviceBuffer}, or a {@link HostBuffer} allocated with {@link HostAllocOption#MAPPED}.
 *
 * <p>PTX does not say whether a kernel reads or writes a pointer. Bundled kernels declare it in
 * their contract; for other kernels a bare {@link DeviceBuffer} argument counts as
 * {@link Access#READ_WRITE}. Wrap it to say more:
 *
 * <pre>{@code
 * stream.launch(myKernel, cfg, Arg.in(x), Arg.out(y), n);
 * }</pre>
 *
 * @param buffer the buffer
 * @param access how the kernel uses it
 */
public record Arg(Buffer buffer, Access access) {
    /**
     * Checks the components.
     *
     * @param buffer the buffer
     * @param access how the kernel uses it
     * @throws IllegalArgumentException if a field is null
     */
    public Arg {
        if (buffer == null || access == null) {
            throw new IllegalArgumentException("buffer and access must not be null");
        }
    }

    /**
     * @param buffer a buffer the kernel only reads
     * @return the annotated argument
     */
    public static Arg in(Buffer buffer) {
        return new Arg(buffer, Access.READ);
    }

    /**
     * @param buffer a buffer the kernel only writes
     * @return the annotated argument
     */
    public static Arg out(Buffer buffer) {
        return new Arg(buffer, Access.WRITE);
    }

    /**
     * @param buffer a buffer the kernel reads and writes
     * @return the annotated argument
     */
    public static Arg inOut(Buffer buffer) {
        return new Arg(buffer, Access.READ_WRITE);
    }
}
