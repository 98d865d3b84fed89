package org.jgpu;

/**
 * Work captured from a stream, replayable with one launch: fewer enqueue calls for a fixed
 * sequence of copies, fills and kernels.
 *
 * <pre>{@code
 * Graph step = stream.capture(() -> {
 *     stream.copy(hostIn, devIn);
 *     stream.launch(kernel, cfg, devIn, devOut, n);
 *     stream.copy(devOut, hostOut);
 * });
 * for (int i = 0; i < 1000; i++) {
 *     stream.launch(step);       // the same work, same buffers, same arguments
 * }
 * }</pre>
 *
 * <p>Arguments are captured by value: a replay uses the buffers and scalars given at capture.
 * Each launch is checked by the hazard checker like the operations it holds.
 */
public interface Graph extends AutoCloseable {

    /** @return the name, for messages */
    String name();

    /** @return how many operations were captured */
    int operationCount();

    /** @return true until {@link #close()} */
    boolean isOpen();

    /** Releases the graph; launches already enqueued still run. Closing twice does nothing. */
    @Override
    void close();
}
