package org.jgpu.spi;

/**
 * A backend's loaded module. The core keeps the module's entries (read from the PTX, or the
 * bundled kernels' contracts) and resolves each kernel's signature before asking for it.
 */
public interface NativeModule {

    /**
     * @param kernel the kernel's name and its signature as the core resolved it
     * @return the kernel
     * @throws IllegalArgumentException if this backend cannot launch it: the module has no such
     *         kernel, its parameters are unknown ({@link ResolvedKernel#signature()} is null and
     *         the backend cannot tell them), or the backend's own implementation of it disagrees
     *         (the message says why and what to do)
     */
    NativeFunction function(ResolvedKernel kernel);

    /** Unloads the module. */
    void unload();
}
