package org.jgpu;

/**
 * The grid, block and dynamic shared memory of a kernel launch.
 *
 * <pre>{@code
 * stream.launch(saxpy, LaunchConfig.forElements(n), 2.0f, x, y, n);
 * stream.launch(k, LaunchConfig.of(Dim3.of(64), Dim3.of(128)).withSharedMemory(4096), args);
 * }</pre>
 *
 * <p>Limits (threads per block, block and grid sizes, shared memory) are checked against the
 * device at launch, with a message naming the limit.
 *
 * @param grid blocks in the grid
 * @param block threads in a block
 * @param sharedMemoryBytes dynamic shared memory per block
 */
public record LaunchConfig(Dim3 grid, Dim3 block, int sharedMemoryBytes) {
    /** Threads per block that {@link #forElements(long)} uses. */
    public static final int DEFAULT_BLOCK = 256;

    /**
     * Checks the components.
     *
     * @param grid blocks in the grid
     * @param block threads in a block
     * @param sharedMemoryBytes dynamic shared memory per block
     * @throws IllegalArgumentException if grid or block is null or shared memory is negative
     */
    public LaunchConfig {
        if (grid == null || block == null) {
            throw new IllegalArgumentException("grid and block must not be null");
        }
        if (sharedMemoryBytes < 0) {
            throw new IllegalArgumentException("sharedMemoryBytes must be >= 0, got " + sharedMemoryBytes);
        }
    }

    /**
     * One thread per element in blocks of {@value #DEFAULT_BLOCK}.
     *
     * @param elements how many elements, at least 1
     * @return a 1-D configuration covering them
     * @throws IllegalArgumentException if elements is below 1 or needs more than 2^31-1 blocks
     */
    public static LaunchConfig forElements(long elements) {
        if (elements < 1) {
            throw new IllegalArgumentException("elements must be at least 1, got " + elements);
        }
        long blocks = (elements + DEFAULT_BLOCK - 1) / DEFAULT_BLOCK;
        if (blocks > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(elements + " elements need " + blocks + " blocks, more than the grid limit 2147483647");
        }
        return new LaunchConfig(Dim3.of((int) blocks), Dim3.of(DEFAULT_BLOCK), 0);
    }

    /**
     * @param grid blocks in the grid
     * @param block threads in a block
     * @return a configuration without dynamic shared memory
     */
    public static LaunchConfig of(Dim3 grid, Dim3 block) {
        return new LaunchConfig(grid, block, 0);
    }

    /**
     * @param bytes dynamic shared memory per block
     * @return a copy with that much shared memory
     * @throws IllegalArgumentException if bytes is negative
     */
    public LaunchConfig withSharedMemory(int bytes) {
        return new LaunchConfig(grid, block, bytes);
    }

    /** @return threads in the whole grid */
    public long totalThreads() {
        return grid.volume() * block.volume();
    }
}
