package org.jgpu.spi;

import java.util.List;
import org.jgpu.KernelSignature;

/** A backend's loaded module. */
public interface NativeModule {

    /** @return the entries the module declares */
    List<KernelSignature> entries();

    /**
     * @param name an entry name among {@link #entries()}
     * @return the kernel
     * @throws IllegalArgumentException if it cannot be launched on this backend (the message says why)
     */
    NativeFunction function(String name);

    /** Unloads the module. */
    void unload();
}
