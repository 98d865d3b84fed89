package org.jgpu;

/**
 * Base of every failure jgpu reports from a device or a backend.
 *
 * <p>Unchecked, like the rest of jgpu's errors. Misuse of the API (a bad argument, use after
 * close) is reported with the JDK's own types instead: {@link IllegalArgumentException},
 * {@link IndexOutOfBoundsException} and {@link IllegalStateException}, each naming the object.
 */
public class GpuException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** @param message what failed, on which object */
    public GpuException(String message) {
        super(message);
    }

    /**
     * @param message what failed, on which object
     * @param cause the underlying failure
     */
    public GpuException(String message, Throwable cause) {
        super(message, cause);
    }
}
