package org.jgpu.pipeline;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.jgpu.Context;
import org.jgpu.Stream;
import org.jgpu.StreamOptions;

/**
 * A fixed set of streams for fan-out: hand work to them in turn, then join them back.
 *
 * <pre>{@code
 * try (StreamGroup group = StreamGroup.create(ctx, 4)) {
 *     for (Chunk c : chunks) {
 *         Stream s = group.next();
 *         s.copy(c.host(), c.device());
 *         s.launch(kernel, cfg, c.device(), c.n());
 *     }
 *     group.joinInto(ctx.defaultStream());   // the default stream now waits for all of them
 * }
 * }</pre>
 */
public final class StreamGroup implements AutoCloseable {
    private final List<Stream> streams;
    private final AtomicInteger next = new AtomicInteger();

    private StreamGroup(List<Stream> streams) {
        this.streams = List.copyOf(streams);
    }

    /**
     * @param ctx the context
     * @param size how many streams, at least 1
     * @return a group of streams named {@code group-0}, {@code group-1}, ...
     * @throws IllegalArgumentException if size is below 1
     */
    public static StreamGroup create(Context ctx, int size) {
        if (size < 1) {
            throw new IllegalArgumentException("a stream group needs at least 1 stream, got " + size);
        }
        List<Stream> s = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            s.add(ctx.createStream(StreamOptions.builder().name("group-" + i).build()));
        }
        return new StreamGroup(s);
    }

    /** @return the number of streams */
    public int size() {
        return streams.size();
    }

    /**
     * @param i an index in [0, size)
     * @return that stream
     */
    public Stream get(int i) {
        return streams.get(i);
    }

    /** @return the next stream in turn (thread-safe) */
    public Stream next() {
        return streams.get(Math.floorMod(next.getAndIncrement(), streams.size()));
    }

    /**
     * Makes {@code target} wait for all work enqueued so far on every stream of the group.
     *
     * @param target the stream that joins
     */
    public void joinInto(Stream target) {
        for (Stream s : streams) {
            if (s != target) {
                target.join(s);
            }
        }
    }

    /** Blocks until every stream's work is done. */
    public void synchronize() {
        streams.forEach(Stream::synchronize);
    }

    /** Waits for and closes every stream. */
    @Override
    public void close() {
        RuntimeException failure = null;
        for (Stream s : streams) {
            try {
                s.close();
            } catch (RuntimeException e) {
                failure = failure == null ? e : failure;
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
