package org.jgpu.internal;

import org.jgpu.internal.hazard.Timeline;
import org.jgpu.spi.NativeStream;

/**
 * What a context keeps of each open stream without keeping the stream object alive (so an
 * unreachable stream is still reported as a leak).
 *
 * @param timeline the stream's hazard timeline
 * @param nat the backend's stream
 */
record StreamSlot(Timeline timeline, NativeStream nat) {
}
