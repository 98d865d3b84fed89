package org.jgpu;

/**
 * One parameter of a kernel.
 *
 * @param name the parameter name (from PTX, or the kernel's declared contract)
 * @param type its type
 * @param access how the kernel uses a buffer passed here (for pointers; ignored for scalars)
 */
public record KernelParam(String name, ParamType type, Access access) {
    /**
     * Checks the components.
     *
     * @param name the parameter name (from PTX, or the kernel's declared contract)
     * @param type its type
     * @param access how the kernel uses a buffer passed here (for pointers; ignored for scalars)
     * @throws IllegalArgumentException if a field is null
     */
    public KernelParam {
        if (name == null || type == null || access == null) {
            throw new IllegalArgumentException("name, type and access must not be null");
        }
    }

    /**
     * @param name parameter name
     * @param access how the kernel uses the buffer
     * @return a pointer parameter
     */
    public static KernelParam pointer(String name, Access access) {
        return new KernelParam(name, ParamType.POINTER, access);
    }

    /**
     * A number: a launch passing a buffer for it is a {@link KernelArgumentException}, even for
     * {@link ParamType#B64}, which PTX alone cannot tell from a pointer.
     *
     * @param name parameter name
     * @param type a scalar type
     * @return a scalar parameter
     */
    public static KernelParam scalar(String name, ParamType type) {
        return new KernelParam(name, type, Access.READ);
    }
}
