package org.jgpu.blas;

/** Whether a BLAS operand is used as stored or transposed. */
public enum Transpose {
    /** as stored */
    NONE,
    /** transposed */
    TRANSPOSE
}
