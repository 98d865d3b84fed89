package org.jgpu.cuda;

import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether a device's primary context is lost, and who must be told. Every jgpu context on a
 * device shares its primary context, so a sticky error seen by one loses it for all: the state
 * is kept once per device ordinal, and each open context of the device has a {@link Watchers}
 * registry, dropped when it closes, of the actions to run on loss.
 */
final class DeviceLoss {
    private static final Logger LOG = LoggerFactory.getLogger("org.jgpu");

    private final String device;
    /** The first sticky error; written once, under this object's lock. */
    private volatile CudaException error;
    private volatile String cause;
    private final Set<Watchers> open = ConcurrentHashMap.newKeySet();

    /** @param device the device as messages name it, e.g. {@code device 0 (NVIDIA H100)} */
    DeviceLoss(String device) {
        this.device = device;
    }

    /** @return the sticky error that lost the context, or null */
    CudaException error() {
        return error;
    }

    /**
     * Notes a failure: the first sticky one loses the device, and the actions of every open
     * context's registry run, on the calling thread.
     *
     * @param e a failure
     * @param likely the operation that most likely caused it (null: the failed call itself)
     * @return true if this call lost the device
     */
    boolean mark(CudaException e, String likely) {
        if (!e.isSticky()) {
            return false;
        }
        synchronized (this) {
            if (error != null) {
                return false;
            }
            cause = likely == null ? e.operation() : likely;
            error = e;
        }
        LOG.error("{}: {} lost the primary context ({}); CUDA cannot be used again in this process, every"
                + " jgpu context of the device now fails fast: restart the process", device, cause, e.getMessage());
        for (Watchers w : open) {
            w.fire();
        }
        return true;
    }

    /**
     * The error every call on a lost device throws: names the first fault and carries it as cause.
     *
     * @return the exception, or null if the device is not lost
     */
    CudaException failFast() {
        CudaException first = error;
        if (first == null) {
            return null;
        }
        CudaException e = new CudaException(first.errorName(), first.code(), "call on " + device
                + ", whose primary context was lost earlier by " + cause + ",", true);
        e.initCause(first);
        return e;
    }

    /**
     * A registry for one jgpu context of the device.
     *
     * @return the registry; {@link Watchers#close()} it when the context closes
     */
    Watchers join() {
        Watchers w = new Watchers();
        open.add(w);
        return w;
    }

    /**
     * The actions one jgpu context wants run when the device is lost. Each registration is two
     * small objects; closing the registry drops them all, so closed contexts leave nothing behind.
     */
    final class Watchers {
        private final Set<Watch> watches = ConcurrentHashMap.newKeySet();
        private volatile boolean closed;

        private Watchers() {
        }

        /**
         * Runs {@code action} once when the device is lost; at once, on the calling thread, if it
         * already is. An action that throws is logged; the others still run.
         *
         * @param action what to run
         * @return unregisters the action (idempotent; does nothing once it ran)
         * @throws NullPointerException if action is null
         */
        Runnable add(Runnable action) {
            Watch w = new Watch(Objects.requireNonNull(action, "action"));
            watches.add(w);
            // added before reading the state: either mark()'s loop sees w, or we see the error
            if (error != null) {
                fire();
            } else if (closed) {
                watches.remove(w);   // a closed context is not told; keep nothing
            }
            return w;
        }

        /** Runs every registered action once: remove() succeeds for one caller only. */
        void fire() {
            for (Watch w : watches) {
                if (watches.remove(w)) {
                    try {
                        w.action.run();
                    } catch (RuntimeException e) {
                        LOG.warn("{}: an action run on the loss of its context failed", device, e);
                    }
                }
            }
        }

        /** @return how many actions wait for a loss (for tests) */
        int size() {
            return watches.size();
        }

        /** Drops every registration; later ones run at once on a lost device, else are dropped. */
        void close() {
            closed = true;
            open.remove(this);
            watches.clear();
        }

        /** One registration; running it unregisters it. */
        private final class Watch implements Runnable {
            final Runnable action;

            Watch(Runnable action) {
                this.action = action;
            }

            @Override
            public void run() {
                watches.remove(this);
            }
        }
    }
}
