package org.jgpu;

/** How an operation uses a buffer: what the hazard checker orders it by. */
public enum Access {
    /** The operation only reads the buffer. */
    READ,
    /** The operation only writes the buffer. */
    WRITE,
    /** The operation reads and writes the buffer. */
    READ_WRITE;

    /** @return true if the access reads */
    public boolean reads() {
        return this != WRITE;
    }

    /** @return true if the access writes */
    public boolean writes() {
        return this != READ;
    }
}
