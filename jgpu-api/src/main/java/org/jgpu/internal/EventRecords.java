package org.jgpu.internal;

/**
 * What the enqueue path needs of an event, whether the user made it ({@link CoreEvent}) or
 * {@code Stream.record()} did ({@link RecordedEvent}): the event itself, so that recording and
 * waiting allocate nothing per call.
 */
interface EventRecords {

    /** @return the context's parts the event belongs to */
    Scope owner();

    /**
     * @param op the operation, for the message
     * @throws IllegalStateException naming the event if it is closed or was never recorded
     */
    void ensureRecorded(String op);

    /**
     * Starts a call that records the event or waits for it: closing the event waits for the
     * call to end ({@link #endUse()}).
     *
     * @throws IllegalStateException naming the event if it or its context is closed
     */
    void beginUse();

    /** Ends what {@link #beginUse()} began. */
    void endUse();

    /** @return true if the event was made with {@link org.jgpu.EventOption#TIMING} */
    boolean timing();

    /**
     * Records the event at the current end of a stream (under the context's lock, the stream's
     * clock brought up to date).
     *
     * @param s the stream
     * @param pool where pooled native events come from
     */
    void enqueueRecord(StreamState s, EventPool pool);

    /**
     * Makes a stream wait for the event's latest record (under the context's lock, after
     * {@link #ensureRecorded}).
     *
     * @param s the stream
     */
    void enqueueWait(StreamState s);
}
