package org.jgpu.internal;

import java.util.ArrayList;
import java.util.List;
import org.jgpu.GpuException;

/**
 * Errors that could not be thrown where they happened (a failed callback, a failed release of a
 * leaked resource), kept for the next {@code Context.synchronize()}: the first {@value #KEPT}, and
 * a count of the rest, so that a callback failing on every batch cannot fill the heap.
 */
final class StoredErrors {
    /** How many errors are kept whole between two synchronizes. */
    static final int KEPT = 64;

    private final List<GpuException> kept = new ArrayList<>();
    private long dropped;

    /** @param e an error to rethrow at the next synchronize */
    synchronized void add(GpuException e) {
        if (kept.size() < KEPT) {
            kept.add(e);
        } else {
            dropped++;
        }
    }

    /**
     * Takes the stored errors: the first, with the others kept as suppressed exceptions and, if
     * some were dropped, one more suppressed exception that says how many.
     *
     * @param context the context's name, for the message about dropped errors
     * @return the first error, or null if none was stored
     */
    RuntimeException take(String context) {
        List<GpuException> taken;
        long lost;
        synchronized (this) {
            if (kept.isEmpty()) {
                return null;
            }
            taken = new ArrayList<>(kept);
            lost = dropped;
            kept.clear();
            dropped = 0;
        }
        GpuException first = taken.get(0);
        for (int i = 1; i < taken.size(); i++) {
            first.addSuppressed(taken.get(i));
        }
        if (lost > 0) {
            first.addSuppressed(new GpuException(lost + " more errors of " + context + " were stored since the last "
                    + "synchronize and dropped: only the first " + KEPT + " are kept"));
        }
        return first;
    }
}
