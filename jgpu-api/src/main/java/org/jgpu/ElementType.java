package org.jgpu;

/** Element types of typed views and slices, with their size in bytes. */
public enum ElementType {
    /** signed 8-bit */
    INT8(1),
    /** signed 16-bit */
    INT16(2),
    /** signed 32-bit */
    INT32(4),
    /** signed 64-bit */
    INT64(8),
    /** IEEE 754 binary32 */
    FLOAT32(4),
    /** IEEE 754 binary64 */
    FLOAT64(8);

    private final int bytes;

    ElementType(int bytes) {
        this.bytes = bytes;
    }

    /** @return the size of one element in bytes */
    public int bytes() {
        return bytes;
    }
}
