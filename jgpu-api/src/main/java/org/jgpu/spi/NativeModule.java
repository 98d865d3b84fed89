package org.jgpu.spi;

import java.util.List;
import org.jgpu.KernelSignature;

/** A backend's loaded module. */
public interface NativeModule {

    /** @return the entries the module declares */
    List<KernelSignature> entries();

    /**
     * @param name an entry name among {@link #entries()} (or of a binary image)
     * @param declared the caller's declaration of its parameters, or null to use the module's
     * @return the kernel
     * @throws IllegalArgumentException if it cannot be launched on this backend, the parameters
     *         are unknown, or the declaration disagrees with the module (the message says why)
     */
    NativeFunction function(String name, KernelSignature declared);

    /** Unloads the module. */
    void unload();
}
