package org.jgpu;

import java.util.List;

/** Loaded device code: the kernels of a PTX, cubin or fatbin image. */
public interface KernelModule extends AutoCloseable {

    /** @return where the code came from */
    String name();

    /** @return the entries this module declares (from PTX, or from the kernels' contracts) */
    List<KernelSignature> kernels();

    /**
     * @param name an entry name
     * @return the kernel
     * @throws IllegalArgumentException if there is no such entry (the message lists them), or,
     *         on the host backend, if no Java twin is registered for it (the message says how)
     * @throws IllegalStateException if the module is closed
     */
    Kernel kernel(String name);

    /**
     * A kernel whose parameters the caller declares: for cubin and fatbin images, which do not
     * say them. For PTX, the declaration must agree with the PTX; use it to declare buffer
     * access ({@link KernelParam#pointer(String, Access)}) once instead of at every launch.
     *
     * @param name an entry name
     * @param declared its parameters
     * @return the kernel
     * @throws IllegalArgumentException if there is no such entry, or the declaration disagrees
     *         with the PTX (the message shows both)
     * @throws IllegalStateException if the module is closed
     */
    Kernel kernel(String name, KernelSignature declared);

    /** @return true until {@link #close()} */
    boolean isOpen();

    /** Unloads the module; its kernels can no longer be launched. Closing twice does nothing. */
    @Override
    void close();
}
