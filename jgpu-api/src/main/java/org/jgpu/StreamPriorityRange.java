package org.jgpu;

/**
 * The stream priorities a device honours, as CUDA numbers them: a numerically lower value is a
 * higher priority, so {@code greatest <= least} (CUDA on recent GPUs: greatest -5, least 0). A
 * device without stream priorities has one level: {@code greatest == least == 0}.
 * {@link Context#createStream(StreamOptions)} clamps a requested priority into this range.
 *
 * @param greatest the highest priority: the numerically lowest value
 * @param least the lowest priority (and the default, 0, on CUDA): the numerically highest value
 */
public record StreamPriorityRange(int greatest, int least) {
    /**
     * Checks the components.
     *
     * @param greatest the highest priority: the numerically lowest value
     * @param least the lowest priority (and the default, 0, on CUDA): the numerically highest value
     * @throws IllegalArgumentException if greatest is numerically above least
     */
    public StreamPriorityRange {
        if (greatest > least) {
            throw new IllegalArgumentException("greatest priority " + greatest + " must not be numerically above least "
                    + least + ": lower numbers are higher priorities");
        }
    }

    /**
     * @param priority a requested priority
     * @return the priority the device gives it: the nearest one in the range
     */
    public int clamp(int priority) {
        return Math.max(greatest, Math.min(least, priority));
    }

    /**
     * @param priority a priority
     * @return true if the device honours it as it is
     */
    public boolean contains(int priority) {
        return priority >= greatest && priority <= least;
    }

    /** @return the number of distinct levels */
    public int levels() {
        return least - greatest + 1;
    }
}
