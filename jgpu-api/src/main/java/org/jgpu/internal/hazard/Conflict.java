package org.jgpu.internal.hazard;

/**
 * An access that nothing orders after an earlier, conflicting access.
 *
 * @param buffer the allocation's name
 * @param earlierTimeline index of the earlier access's timeline (0 is the host)
 * @param earlierName the earlier stream's name, or {@code host}
 * @param earlierOp the earlier operation
 * @param earlierWrites whether the earlier access wrote
 * @param start first byte of the overlap
 * @param end one past its last byte
 * @param laterWrites whether the rejected access writes
 */
public record Conflict(String buffer, int earlierTimeline, String earlierName, String earlierOp,
        boolean earlierWrites, long start, long end, boolean laterWrites) {
}
