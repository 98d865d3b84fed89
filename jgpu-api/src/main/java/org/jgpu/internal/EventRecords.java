package org.jgpu.internal;

import org.jgpu.internal.hazard.VectorClock;
import org.jgpu.spi.NativeEvent;
import org.jgpu.spi.NativeStream;

/**
 * What the enqueue path needs of an event: its backend event and the clock of its latest
 * record. The event itself, so that recording and waiting allocate nothing per call.
 */
interface EventRecords {

    /** @return the backend event */
    NativeEvent nativeEvent();

    /**
     * Notes a record (under the context's lock).
     *
     * @param streamClock the stream's clock at the record (a copy the event keeps)
     * @param stream the stream it was recorded on
     */
    void recorded(VectorClock streamClock, NativeStream stream);

    /** @return the clock of the latest record (under the context's lock) */
    VectorClock clock();

    /**
     * @param op the operation, for the message
     * @throws IllegalStateException naming the event if it is closed or was never recorded
     */
    void ensureRecorded(String op);
}
