package org.jgpu.spi;

import java.util.Set;
import org.jgpu.StreamFlag;

/**
 * A stream made elsewhere, as a backend takes it in: the caller never destroys it.
 *
 * @param stream the backend stream over the native one
 * @param flags the native stream's flags, as this device's default stream sees them (a stream
 *              that does not order with this device's legacy default stream is
 *              {@link StreamFlag#NON_BLOCKING})
 */
public record BorrowedStream(NativeStream stream, Set<StreamFlag> flags) {
}
