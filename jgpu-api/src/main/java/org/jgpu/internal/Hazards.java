package org.jgpu.internal;

import org.jgpu.HazardException;
import org.jgpu.internal.hazard.Conflict;
import org.jgpu.internal.hazard.HazardTracker;

/** Builds the messages of {@link HazardException}s: what raced, and the call that orders it. */
final class Hazards {
    private Hazards() {
    }

    static HazardException onStream(Conflict c, String stream, String op) {
        String earlier = c.earlierTimeline() == HazardTracker.HOST ? "the host" : "stream '" + c.earlierName() + "'";
        String fix = c.earlierTimeline() == HazardTracker.HOST
                ? "synchronize before the host touches it"
                : "call " + stream + ".waitFor(" + c.earlierName() + ".record()) after the " + c.earlierOp()
                        + " and before the " + op + " (or use HazardMode.AUTO)";
        String msg = "hazard on " + c.buffer() + " bytes [" + c.start() + ", " + c.end() + "): " + op + " on stream '"
                + stream + "' " + (c.laterWrites() ? "writes" : "reads") + " it, but " + c.earlierOp() + " on " + earlier
                + " " + (c.earlierWrites() ? "writes" : "reads") + " it and nothing orders the two; " + fix;
        return new HazardException(msg, c.buffer(), c.earlierName(), c.earlierOp(), stream, op);
    }

    static HazardException onHost(Conflict c, String op) {
        String msg = "hazard on " + c.buffer() + " bytes [" + c.start() + ", " + c.end() + "): the host "
                + (c.laterWrites() ? "writes" : "reads") + " it (" + op + "), but " + c.earlierOp() + " on stream '"
                + c.earlierName() + "' " + (c.earlierWrites() ? "writes" : "reads")
                + " it and has not been seen to finish; call " + c.earlierName()
                + ".synchronize() (or synchronize an event recorded after that operation) first, or use HazardMode.AUTO";
        return new HazardException(msg, c.buffer(), c.earlierName(), c.earlierOp(), "host", op);
    }
}
