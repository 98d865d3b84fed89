package org.jgpu;

/**
 * A grid or block size in three dimensions.
 *
 * @param x size in x, at least 1
 * @param y size in y, at least 1
 * @param z size in z, at least 1
 */
public record Dim3(int x, int y, int z) {
    /**
     * Checks the components.
     *
     * @param x size in x, at least 1
     * @param y size in y, at least 1
     * @param z size in z, at least 1
     * @throws IllegalArgumentException if a size is below 1
     */
    public Dim3 {
        if (x < 1 || y < 1 || z < 1) {
            throw new IllegalArgumentException("Dim3 sizes must be at least 1, got (" + x + ", " + y + ", " + z + ")");
        }
    }

    /**
     * @param x size in x
     * @return {@code (x, 1, 1)}
     * @throws IllegalArgumentException if x is below 1
     */
    public static Dim3 of(int x) {
        return new Dim3(x, 1, 1);
    }

    /** @return x * y * z */
    public long volume() {
        return (long) x * y * z;
    }

    @Override
    public String toString() {
        return "(" + x + ", " + y + ", " + z + ")";
    }
}
