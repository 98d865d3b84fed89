package org.jgpu;

/**
 * A kernel launch got the wrong number or kind of arguments.
 *
 * <p>The message names the kernel, the parameter (index and name) and both types.
 */
public class KernelArgumentException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    /** The kernel's entry name. */
    private final String kernel;
    /** The parameter at fault, or -1 when the count is wrong. */
    private final int parameterIndex;

    /**
     * @param kernel the kernel's entry name
     * @param parameterIndex the parameter at fault, or -1 when the count is wrong
     * @param message the full explanation
     */
    public KernelArgumentException(String kernel, int parameterIndex, String message) {
        super(message);
        this.kernel = kernel;
        this.parameterIndex = parameterIndex;
    }

    /** @return the kernel's entry name */
    public String kernel() {
        return kernel;
    }

    /** @return the index of the parameter at fault, or -1 when the argument count is wrong */
    public int parameterIndex() {
        return parameterIndex;
    }
}
