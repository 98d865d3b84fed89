package org.jgpu.internal.hazard;

/**
 * One buffer range an operation reads or writes.
 *
 * @param buffer the allocation's state
 * @param start first byte, relative to the allocation
 * @param end one past the last byte
 * @param reads whether the operation reads the range
 * @param writes whether the operation writes the range
 */
public record Touch(BufferState buffer, long start, long end, boolean reads, boolean writes) {
}
