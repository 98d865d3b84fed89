package org.jgpu.cuda;

import org.jgpu.GpuException;

/**
 * A CUDA driver call returned an error.
 *
 * <p>Carries the CUDA error name ({@code CUDA_ERROR_ILLEGAL_ADDRESS}), its numeric code and the
 * operation that failed, on which object. {@code CUDA_ERROR_NOT_READY} is never thrown: queries
 * return {@code false} instead.
 */
public class CudaException extends GpuException {
    private static final long serialVersionUID = 1L;
    /** The CUDA error name. */
    private final String errorName;
    /** The numeric CUDA error code. */
    private final int code;
    /** The operation that failed, on which object. */
    private final String operation;
    /** Whether the error leaves the context unusable. */
    private final boolean sticky;

    /**
     * @param errorName the CUDA error name, e.g. {@code CUDA_ERROR_OUT_OF_MEMORY}
     * @param code the CUDA result code
     * @param operation the operation and object, e.g. {@code cuMemAlloc(4096 bytes) on device 0}
     * @param sticky whether the error corrupts the context (every later call fails, until the
     *        process restarts)
     */
    public CudaException(String errorName, int code, String operation, boolean sticky) {
        super(operation + " failed: " + errorName + " (" + code + ")"
                + (sticky ? "; the context is lost: CUDA can be used again only in a new process" : ""));
        this.errorName = errorName;
        this.code = code;
        this.operation = operation;
        this.sticky = sticky;
    }

    /** @return the CUDA error name, e.g. {@code CUDA_ERROR_INVALID_VALUE} */
    public String errorName() {
        return errorName;
    }

    /** @return the numeric CUDA result code */
    public int code() {
        return code;
    }

    /** @return the operation that failed and the object it failed on */
    public String operation() {
        return operation;
    }

    /** @return true if the error is sticky: the context can no longer be used */
    public boolean isSticky() {
        return sticky;
    }
}
