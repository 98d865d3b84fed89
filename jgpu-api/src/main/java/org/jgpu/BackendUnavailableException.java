package org.jgpu;

/** The backend asked for is not present or cannot be used here; the message says why. */
public class BackendUnavailableException extends GpuException {
    private static final long serialVersionUID = 1L;

    /** @param message which backend, and why it cannot be used */
    public BackendUnavailableException(String message) {
        super(message);
    }
}
