package org.jgpu.sim;

/**
 * Thrown by a kernel twin (or other work of the host backend) for a fault that would corrupt a
 * real device, such as a kernel writing far outside its buffers, which on a GPU is a sticky
 * error that loses the context.
 *
 * <p>The host device is then lost, as a CUDA context is: later copies, fills and launches fail at
 * once naming this fault, work still queued is dropped, and every pending or later host callback,
 * {@code onComplete()} future and synchronize fails naming it. Close the context and create a new
 * one. Any other exception a twin throws is an ordinary asynchronous error of its stream.
 */
public class DeviceFaultException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what the work did that a real device would not survive
     */
    public DeviceFaultException(String message) {
        super(message);
    }

    /**
     * @param message what the work did that a real device would not survive
     * @param cause what detected it
     */
    public DeviceFaultException(String message, Throwable cause) {
        super(message, cause);
    }
}
