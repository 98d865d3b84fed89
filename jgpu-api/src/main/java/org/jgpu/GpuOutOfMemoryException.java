package org.jgpu;

/** An allocation asked for more memory than the device (or pinned host memory) has free. */
public class GpuOutOfMemoryException extends GpuException {
    private static final long serialVersionUID = 1L;
    /** Bytes asked for. */
    private final long requestedBytes;
    /** Bytes free when the request failed, or -1 if unknown. */
    private final long freeBytes;

    /**
     * @param what the kind of memory and the context, e.g. {@code device memory of context#1}
     * @param requestedBytes bytes asked for
     * @param freeBytes bytes free when the request failed, or -1 if unknown
     */
    public GpuOutOfMemoryException(String what, long requestedBytes, long freeBytes) {
        super("out of " + what + ": requested " + requestedBytes + " bytes, "
                + (freeBytes < 0 ? "free unknown" : freeBytes + " bytes free"));
        this.requestedBytes = requestedBytes;
        this.freeBytes = freeBytes;
    }

    /** @return bytes asked for */
    public long requestedBytes() {
        return requestedBytes;
    }

    /** @return bytes free when the request failed, or -1 if unknown */
    public long freeBytes() {
        return freeBytes;
    }
}
