package org.jgpu;

/** A kernel of a {@link KernelModule}, launched with {@link Stream#launch(Kernel, LaunchConfig, Object...)}. */
public interface Kernel {

    /** @return the entry name */
    String name();

    /** @return the parameters the launch checks arguments against */
    KernelSignature signature();

    /** @return the module it belongs to */
    KernelModule module();

    /**
     * @return new, empty arguments for this kernel, to set and launch again and again
     *     ({@link Stream#launch(Kernel, LaunchConfig, KernelArgs)})
     */
    KernelArgs args();
}
