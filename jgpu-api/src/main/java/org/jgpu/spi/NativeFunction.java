package org.jgpu.spi;

import org.jgpu.KernelSignature;

/** A backend's kernel handle. */
public interface NativeFunction {

    /** @return the parameters launches are checked against */
    KernelSignature signature();
}
