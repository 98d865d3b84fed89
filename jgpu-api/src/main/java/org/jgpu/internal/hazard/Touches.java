package org.jgpu.internal.hazard;

/**
 * The buffer ranges one operation reads or writes, read by index: an operation can keep them in
 * its own fields, so that checking and recording them builds no array.
 */
public interface Touches {
    /** @return how many ranges there are */
    int touchCount();

    /**
     * @param i the range's index, from 0 to {@link #touchCount()} - 1
     * @return the range
     */
    Touch touch(int i);

    /**
     * @param touches the ranges, not copied
     * @return them as {@link Touches}
     */
    static Touches of(Touch... touches) {
        return new Touches() {
            @Override
            public int touchCount() {
                return touches.length;
            }

            @Override
            public Touch touch(int i) {
                return touches[i];
            }
        };
    }
}
