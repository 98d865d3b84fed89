package org.jgpu.internal.hazard;

import java.util.Arrays;

/**
 * At most one access per timeline, found by its timeline in constant time: an open-addressed
 * table keyed by each access's own timeline index. A segment's readers are kept this way so that
 * a read replaces its own timeline's earlier read without scanning the others (512 unordered
 * readers of one buffer would otherwise make every read pay for all of them).
 */
final class ByTimeline {
    private static final Access[] EMPTY = {};
    /** Capacity a power of two (or 0), at most half full; null slots are free. */
    private Access[] table = EMPTY;
    private int size;

    /** @return a table holding the same accesses, for the new half of a split segment */
    ByTimeline copy() {
        ByTimeline c = new ByTimeline();
        c.table = size == 0 ? EMPTY : table.clone();
        c.size = size;
        return c;
    }

    /** @return how many accesses the table holds */
    int size() {
        return size;
    }

    /** @return the slot count, for iteration with {@link #slot(int)} (no iterator is allocated) */
    int slots() {
        return table.length;
    }

    /** @return the access in slot i, or null */
    Access slot(int i) {
        return table[i];
    }

    /** @return the access of the given timeline, or null */
    Access get(int timeline) {
        if (table.length == 0) {
            return null;
        }
        int mask = table.length - 1;
        for (int i = timeline & mask; table[i] != null; i = (i + 1) & mask) {
            if (table[i].timeline == timeline) {
                return table[i];
            }
        }
        return null;
    }

    /** Adds {@code a}, replacing the access of its timeline if there is one. */
    void put(Access a) {
        if (table.length > 0) {
            int mask = table.length - 1;
            for (int i = a.timeline & mask; table[i] != null; i = (i + 1) & mask) {
                if (table[i].timeline == a.timeline) {
                    table[i] = a;
                    return;
                }
            }
        }
        if (2 * (size + 1) > table.length) {
            rehash(Math.max(2, 2 * table.length));
        }
        insert(a);
    }

    /** Puts {@code a} in the first free slot from its home: its timeline is not in the table. */
    private void insert(Access a) {
        int mask = table.length - 1;
        int i = a.timeline & mask;
        while (table[i] != null) {
            i = (i + 1) & mask;
        }
        table[i] = a;
        size++;
    }

    /** Removes {@code a} if it is this table's access of its timeline. */
    void remove(Access a) {
        if (table.length == 0) {
            return;
        }
        int mask = table.length - 1;
        int i = a.timeline & mask;
        while (table[i] != a) {
            if (table[i] == null) {
                return;
            }
            i = (i + 1) & mask;
        }
        // shift later members of the probe chain back, so that lookups still find them
        for (int j = (i + 1) & mask; table[j] != null; j = (j + 1) & mask) {
            int home = table[j].timeline & mask;
            boolean stays = i <= j ? i < home && home <= j : i < home || home <= j;
            if (!stays) {
                table[i] = table[j];
                i = j;
            }
        }
        table[i] = null;
        size--;
    }

    /**
     * Drops the accesses that the clock follows: a later access ordered after them covers them.
     *
     * @return how many accesses were tested
     */
    int removeFollowed(VectorClock c) {
        int kept = 0;
        for (Access a : table) {
            if (a != null && !a.followedBy(c)) {
                kept++;
            }
        }
        int tested = size;
        if (kept == size) {
            return tested;
        }
        Access[] old = table;
        size = 0;
        if (kept == 0 && old.length <= 8) {
            // the common case, a write over the previous one: clear in place, allocate nothing
            Arrays.fill(old, null);
            return tested;
        }
        // removing from a linear-probing table breaks probe chains: rebuild from the survivors
        table = EMPTY;
        for (Access a : old) {
            if (a != null && !a.followedBy(c)) {
                put(a);
            }
        }
        return tested;
    }

    private void rehash(int capacity) {
        Access[] old = table;
        table = new Access[capacity];
        size = 0;
        for (Access a : old) {
            if (a != null) {
                insert(a);
            }
        }
    }
}
