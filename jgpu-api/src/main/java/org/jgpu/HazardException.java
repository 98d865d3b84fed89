package org.jgpu;

/**
 * An operation would race with another one on the same buffer: nothing orders them.
 *
 * <p>Thrown in {@link HazardMode#CHECK} before the offending operation is enqueued, so nothing
 * was changed and every object stays usable. The message names the buffer, both streams (or the
 * host), both operations and the call that would order them.
 */
public class HazardException extends GpuException {
    private static final long serialVersionUID = 1L;
    /** The buffer both operations touch. */
    private final String buffer;
    /** The stream (or the host) of the earlier operation. */
    private final String earlierStream;
    /** The earlier operation. */
    private final String earlierOp;
    /** The stream of the operation that was refused. */
    private final String laterStream;
    /** The operation that was refused. */
    private final String laterOp;

    /**
     * @param message the full explanation, with the missing ordering call
     * @param buffer the buffer both operations touch
     * @param earlierStream the stream (or {@code host}) of the earlier operation
     * @param earlierOp the earlier operation
     * @param laterStream the stream (or {@code host}) of the rejected operation
     * @param laterOp the rejected operation
     */
    public HazardException(String message, String buffer, String earlierStream, String earlierOp,
            String laterStream, String laterOp) {
        super(message);
        this.buffer = buffer;
        this.earlierStream = earlierStream;
        this.earlierOp = earlierOp;
        this.laterStream = laterStream;
        this.laterOp = laterOp;
    }

    /** @return the name of the buffer both operations touch */
    public String buffer() {
        return buffer;
    }

    /** @return the stream of the earlier operation, or {@code "host"} */
    public String earlierStream() {
        return earlierStream;
    }

    /** @return the earlier operation */
    public String earlierOp() {
        return earlierOp;
    }

    /** @return the stream of the rejected operation, or {@code "host"} */
    public String laterStream() {
        return laterStream;
    }

    /** @return the rejected operation */
    public String laterOp() {
        return laterOp;
    }
}
