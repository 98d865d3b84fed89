package org.jgpu;

/**
 * Work enqueued earlier failed on the device; reported at the next synchronize or query.
 *
 * <p>The message names the operation that failed (kind, kernel, stream) and what enqueued it.
 */
public class AsyncOperationException extends GpuException {
    private static final long serialVersionUID = 1L;
    /** The operation that most likely failed. */
    private final String operation;

    /**
     * @param operation the failed operation, as tagged when it was enqueued
     * @param cause what went wrong
     */
    public AsyncOperationException(String operation, Throwable cause) {
        super(operation + " failed: " + cause.getMessage(), cause);
        this.operation = operation;
    }

    /** @return the failed operation, as tagged when it was enqueued */
    public String operation() {
        return operation;
    }
}
