package org.jgpu.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.jgpu.Buffer;
import org.jgpu.BundledKernels;
import org.jgpu.Context;
import org.jgpu.DeviceBuffer;
import org.jgpu.ElementType;
import org.jgpu.HostBuffer;
import org.jgpu.Kernel;
import org.jgpu.KernelArgumentException;
import org.jgpu.LaunchConfig;
import org.jgpu.KernelModule;
import org.jgpu.ModuleSource;
import org.jgpu.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * Random calls with good and bad arguments, checked against a Java model of every buffer's
 * bytes: each call either does exactly what the model says, or throws the documented exception
 * type naming the bad argument and changes nothing. No other exception type, no stray write
 * (a guard buffer nobody targets stays intact), and the context stays usable.
 */
@Tag(Stress.TAG)
@Timeout(value = 2, unit = TimeUnit.HOURS)   // a backstop only: each test bounds itself (Stress.bounded)
class StressFuzzTest {
    private static final long[] SEEDS = {1, 2, 3};
    private static final int VERIFY_EVERY = 250;

    /**
     * Bytes whose low seven bits are in [1, 126]: any four of them, at any alignment, are a
     * normal float (the exponent is neither 0 nor 255). Scaling by 1 or -1 keeps them so. The
     * model's arithmetic is then exact on every device: no NaN payloads, no flushed denormals.
     */
    private static byte niceByte(Random r) {
        int b = 1 + r.nextInt(126);
        return (byte) (r.nextBoolean() ? b : b | 0x80);
    }

    private static byte[] niceBytes(Random r, int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = niceByte(r);
        }
        return b;
    }

    /** One allocation and its expected contents. */
    private static final class Model {
        final Buffer root;
        final String name;
        final byte[] bytes;

        Model(Buffer root, String name) {
            this.root = root;
            this.name = name;
            this.bytes = new byte[(int) root.size()];
        }

        boolean isHost() {
            return root instanceof HostBuffer;
        }
    }

    /** A buffer or a slice of one: where it lies in its allocation. */
    private record View(Model model, Buffer buffer, long base, long size) {
        boolean isHost() {
            return model.isHost();
        }

        @Override
        public String toString() {
            return "'" + model.name + "'" + (buffer == model.root ? "" : "[" + base + ", " + (base + size) + ")");
        }
    }

    /** A call that must be refused: the exception types it may throw and what the message must name (any of). */
    private record Refusal(List<Class<? extends Throwable>> types, List<String> mentions) {
    }

    private static Refusal refuse(Class<? extends Throwable> type, String... mentions) {
        return new Refusal(List.of(type), List.of(mentions));
    }

    /** A null is refused as IllegalArgumentException (the library's checks) or NullPointerException (Java's). */
    private static Refusal refuseNull(String... mentions) {
        return new Refusal(List.of(IllegalArgumentException.class, NullPointerException.class), List.of(mentions));
    }

    /** The state of one fuzz run. */
    private static final class Run {
        final String backend;
        final long seed;
        final Random r;
        final Context ctx;
        final Stream s;
        final Kernel scale;
        final Kernel spin;
        final List<Model> models = new ArrayList<>();
        final List<View> views = new ArrayList<>();
        final Model guard;
        final Model hostGuard;
        int call;
        String what;
        int accepted;
        int refused;

        Run(String backend, long seed, Context ctx) {
            this.backend = backend;
            this.seed = seed;
            this.r = new Random(seed);
            this.ctx = ctx;
            this.s = ctx.createStream();
            KernelModule m = ctx.loadModule(ModuleSource.bundled());
            this.scale = m.kernel(BundledKernels.SCALE);
            this.spin = m.kernel(BundledKernels.SPIN);
            add(ctx.allocDevice(1024, "d0"), "d0");
            add(ctx.allocDevice(512, "d1"), "d1");
            add(ctx.allocDevice(36, "d2"), "d2");
            add(ctx.allocHost(1024, "h0"), "h0");
            add(ctx.allocHost(260, "h1"), "h1");
            // never a target: a write that lands outside its range shows here
            guard = new Model(ctx.allocDevice(256, "guard"), "guard");
            hostGuard = new Model(ctx.allocHost(256, "host-guard"), "host-guard");
            for (Model g : List.of(guard, hostGuard)) {
                Arrays.fill(g.bytes, (byte) 0x5A);
            }
            for (Model x : models) {
                byte[] init = niceBytes(r, x.bytes.length);
                System.arraycopy(init, 0, x.bytes, 0, init.length);
            }
            for (Model x : concat(models, List.of(guard, hostGuard))) {
                s.copy(x.bytes, x.root);
            }
            s.synchronize();
        }

        private void add(Buffer b, String name) {
            Model m = new Model(b, name);
            models.add(m);
            views.add(new View(m, b, 0, b.size()));
        }

        private static List<Model> concat(List<Model> a, List<Model> b) {
            List<Model> all = new ArrayList<>(a);
            all.addAll(b);
            return all;
        }

        String where() {
            return "seed " + seed + ", call " + call + " (" + what + ") on " + backend;
        }

        // ---- the values a fuzzer tries

        /** An offset or length near the interesting edges of {@code size}, or far outside it. */
        long value(long size) {
            switch (r.nextInt(12)) {
                case 0: return 0;
                case 1: return 1;
                case 2: return -1;
                case 3: return size;
                case 4: return size + 1;
                case 5: return size - 1;
                case 6: return Long.MAX_VALUE;
                case 7: return Long.MIN_VALUE;
                case 8: return Integer.MAX_VALUE;
                case 9: return Long.MAX_VALUE - size / 2;
                default: return size <= 0 ? 0 : (long) (r.nextDouble() * (size + 1));
            }
        }

        /** A range inside {@code size} most of the time, otherwise anything {@link #value} gives. */
        long[] range(long size) {
            if (r.nextInt(3) > 0) {
                long off = (long) (r.nextDouble() * (size + 1));
                long len = (long) (r.nextDouble() * (size - off + 1));
                return new long[] {off, len};
            }
            return new long[] {value(size), value(size)};
        }

        static boolean inside(long off, long len, long size) {
            return off >= 0 && len >= 0 && off <= size && len <= size - off;
        }

        View view() {
            return views.get(r.nextInt(views.size()));
        }

        View deviceView() {
            View v;
            do {
                v = view();
            } while (v.isHost());
            return v;
        }

        View hostView() {
            View v;
            do {
                v = view();
            } while (!v.isHost());
            return v;
        }

        // ---- checking a call

        void accepted(Body body) {
            try {
                body.run();
            } catch (Throwable t) {
                throw new AssertionError("a valid call was refused: " + where() + ": " + t, t);
            }
            accepted++;
        }

        void refused(Refusal refusal, Body body) {
            Throwable thrown = null;
            try {
                body.run();
            } catch (Throwable t) {
                thrown = t;
            }
            if (thrown == null) {
                throw new AssertionError("an invalid call was accepted: " + where());
            }
            Throwable t = thrown;
            if (refusal.types().stream().noneMatch(c -> c.isInstance(t))) {
                throw new AssertionError("an invalid call threw " + t.getClass().getName() + ", expected one of "
                        + refusal.types().stream().map(Class::getSimpleName).toList() + ": " + where() + ": " + t, t);
            }
            String m = String.valueOf(t.getMessage());
            if (refusal.mentions().stream().noneMatch(m::contains)) {
                throw new AssertionError("the message does not name the bad argument (any of " + refusal.mentions()
                        + "): " + where() + ": " + m, t);
            }
            refused++;
        }

        // ---- the calls

        void step() {
            call++;
            switch (r.nextInt(10)) {
                case 0: copyRange(); break;
                case 1: copyWhole(); break;
                case 2: copyFromHeap(); break;
                case 3: copyToHeap(); break;
                case 4: fill(); break;
                case 5: slice(); break;
                case 6: hostAccess(); break;
                case 7: hostVolatile(); break;
                case 8: launchScale(); break;
                default: launchSpin(); break;
            }
            if (call % VERIFY_EVERY == 0) {
                verify();
            }
        }

        /** Two views of different allocations: the model does not define overlapping copies. */
        View[] pair() {
            View a = view();
            View b;
            do {
                b = view();
            } while (b.model() == a.model());
            return new View[] {a, b};
        }

        void copyRange() {
            View[] p = pair();
            View src = p[0];
            View dst = p[1];
            long[] sr = range(src.size());
            long dstOff = r.nextBoolean() ? (long) (r.nextDouble() * (dst.size() + 1)) : value(dst.size());
            long bytes = sr[1];
            long srcOff = sr[0];
            what = "copy(" + src + ", " + srcOff + ", " + dst + ", " + dstOff + ", " + bytes + ")";
            if (!inside(srcOff, bytes, src.size())) {
                refused(refuse(IndexOutOfBoundsException.class, "src " + (src.isHost() ? "host" : "device") + " buffer '"
                        + src.model().name + "'"), () -> s.copy(src.buffer(), srcOff, dst.buffer(), dstOff, bytes));
            } else if (!inside(dstOff, bytes, dst.size())) {
                refused(refuse(IndexOutOfBoundsException.class, "dst " + (dst.isHost() ? "host" : "device") + " buffer '"
                        + dst.model().name + "'"), () -> s.copy(src.buffer(), srcOff, dst.buffer(), dstOff, bytes));
            } else {
                accepted(() -> s.copy(src.buffer(), srcOff, dst.buffer(), dstOff, bytes));
                System.arraycopy(src.model().bytes, (int) (src.base() + srcOff), dst.model().bytes,
                        (int) (dst.base() + dstOff), (int) bytes);
            }
        }

        void copyWhole() {
            View[] p = pair();
            View src = p[0];
            View dst = r.nextInt(8) == 0 ? null : p[1];
            what = "copy(" + src + ", " + dst + ")";
            if (dst == null) {
                refused(refuseNull("dst"), () -> s.copy(src.buffer(), (Buffer) null));
            } else if (src.size() != dst.size()) {
                refused(refuse(IllegalArgumentException.class, "'" + dst.model().name + "'"),
                        () -> s.copy(src.buffer(), dst.buffer()));
            } else {
                accepted(() -> s.copy(src.buffer(), dst.buffer()));
                System.arraycopy(src.model().bytes, (int) src.base(), dst.model().bytes, (int) dst.base(), (int) src.size());
            }
        }

        void copyFromHeap() {
            View dst = view();
            int kind = r.nextInt(3);
            int unit = kind == 2 ? 1 : 4;
            int count = r.nextInt(8) == 0 ? -1 : r.nextInt((int) (dst.size() / unit) + 3);
            byte[] bytes = count < 0 ? null : niceBytes(r, count * unit);
            what = "copy(" + (count < 0 ? "null" : (kind == 0 ? "float" : kind == 1 ? "int" : "byte") + "[" + count + "]")
                    + ", " + dst + ")";
            Body call = () -> {
                if (kind == 2) {
                    s.copy(bytes, dst.buffer());
                } else if (kind == 1) {
                    s.copy(bytes == null ? null : ints(bytes), dst.buffer());
                } else {
                    s.copy(bytes == null ? null : floats(bytes), dst.buffer());
                }
            };
            if (bytes == null) {
                refused(refuseNull("src"), call);
            } else if (bytes.length > dst.size()) {
                refused(refuse(IndexOutOfBoundsException.class, "dst " + (dst.isHost() ? "host" : "device") + " buffer '"
                        + dst.model().name + "'"), call);
            } else {
                accepted(call);
                System.arraycopy(bytes, 0, dst.model().bytes, (int) dst.base(), bytes.length);
            }
        }

        void copyToHeap() {
            View src = view();
            int kind = r.nextInt(3);
            int unit = kind == 2 ? 1 : 4;
            int count = r.nextInt(8) == 0 ? -1 : r.nextInt((int) (src.size() / unit) + 3);
            what = "copy(" + src + ", " + (count < 0 ? "null" : (kind == 0 ? "float" : kind == 1 ? "int" : "byte")
                    + "[" + count + "])");
            byte[][] got = new byte[1][];
            Body call = () -> {
                if (kind == 2) {
                    byte[] a = count < 0 ? null : new byte[count];
                    s.copy(src.buffer(), a);
                    got[0] = a;
                } else if (kind == 1) {
                    int[] a = count < 0 ? null : new int[count];
                    s.copy(src.buffer(), a);
                    got[0] = a == null ? null : bytes(a);
                } else {
                    float[] a = count < 0 ? null : new float[count];
                    s.copy(src.buffer(), a);
                    got[0] = a == null ? null : bytes(a);
                }
            };
            if (count < 0) {
                refused(refuseNull("dst"), call);
            } else if ((long) count * unit > src.size()) {
                refused(refuse(IndexOutOfBoundsException.class, "src " + (src.isHost() ? "host" : "device") + " buffer '"
                        + src.model().name + "'"), call);
            } else {
                accepted(call);
                byte[] expected = Arrays.copyOfRange(src.model().bytes, (int) src.base(), (int) src.base() + count * unit);
                if (!Arrays.equals(expected, got[0])) {
                    throw new AssertionError("a synchronous copy returned other data than the model: " + where());
                }
            }
        }

        void fill() {
            View dst = deviceView();
            int kind = r.nextInt(3);
            int unit = kind == 0 ? 1 : 4;
            byte[] pattern = niceBytes(r, unit);
            what = "fill(" + dst + ", " + (kind == 0 ? "byte" : kind == 1 ? "int" : "float") + ")";
            Body call = () -> {
                DeviceBuffer d = (DeviceBuffer) dst.buffer();
                if (kind == 0) {
                    s.fill(d, pattern[0]);
                } else if (kind == 1) {
                    s.fill(d, ByteBuffer.wrap(pattern).order(ByteOrder.nativeOrder()).getInt());
                } else {
                    s.fill(d, ByteBuffer.wrap(pattern).order(ByteOrder.nativeOrder()).getFloat());
                }
            };
            // a 4-byte fill needs a whole number of words starting on a word
            if (dst.size() % unit != 0 || dst.base() % unit != 0) {
                refused(refuse(IllegalArgumentException.class, "'" + dst.model().name + "'"), call);
            } else {
                accepted(call);
                for (long i = 0; i < dst.size(); i++) {
                    dst.model().bytes[(int) (dst.base() + i)] = pattern[(int) (i % unit)];
                }
            }
        }

        void slice() {
            View of = view();
            long[] range = range(of.size());
            long off = range[0];
            long len = range[1];
            what = of + ".slice(" + off + ", " + len + ")";
            Buffer[] made = new Buffer[1];
            Body call = () -> made[0] = of.isHost() ? ((HostBuffer) of.buffer()).slice(off, len)
                    : ((DeviceBuffer) of.buffer()).slice(off, len);
            if (!inside(off, len, of.size())) {
                refused(refuse(IndexOutOfBoundsException.class, "'" + of.model().name + "'"), call);
            } else if (len == 0) {
                // an empty slice is no use to the model: either answer is fine, but only a typed refusal
                try {
                    call.run();
                } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
                    return;
                } catch (Exception e) {
                    throw new AssertionError("an empty slice threw " + e + ": " + where(), e);
                }
            } else {
                accepted(call);
                assertEquals(len, made[0].size(), where());
                View v = new View(of.model(), made[0], of.base() + off, len);
                if (views.size() < 24) {
                    views.add(v);
                } else {
                    views.set(5 + r.nextInt(views.size() - 5), v);   // the roots stay
                }
            }
        }

        void hostAccess() {
            View h = hostView();
            HostBuffer b = (HostBuffer) h.buffer();
            s.synchronize();   // host access to a buffer with a pending copy is a hazard, not what is fuzzed here
            int kind = r.nextInt(8);
            boolean isFloat = kind < 6;
            int unit = kind >= 6 ? 1 : 4;
            int count = kind == 4 || kind == 5 ? 1 : r.nextInt(8) == 0 ? -1 : r.nextInt((int) (h.size() / unit) + 2);
            // a null array with a good index: which of two bad arguments is named first is not specified
            long index = count < 0 ? 0 : r.nextBoolean() ? r.nextInt((int) (h.size() / unit) + 2) : value(h.size() / unit);
            String[] names = {"write(float[])", "read(float[])", "write(int[])", "read(int[])", "putFloat", "getFloat",
                "write(byte[])", "read(byte[])"};
            what = h + "." + names[kind] + " at " + index + (count < 0 ? " null" : " x " + count);
            byte[] data = count < 0 ? null : niceBytes(r, count * unit);
            byte[][] got = new byte[1][];
            Body call = () -> {
                switch (kind) {
                    case 0: b.write(index, data == null ? null : floats(data)); break;
                    case 1: {
                        float[] a = count < 0 ? null : new float[count];
                        b.read(index, a);
                        got[0] = bytes(a);
                        break;
                    }
                    case 2: b.write(index, data == null ? null : ints(data)); break;
                    case 3: {
                        int[] a = count < 0 ? null : new int[count];
                        b.read(index, a);
                        got[0] = bytes(a);
                        break;
                    }
                    case 4: b.putFloat(index, floats(data)[0]); break;
                    case 5: got[0] = bytes(new float[] {b.getFloat(index)}); break;
                    case 6: b.write(index, data); break;
                    default: {
                        byte[] a = count < 0 ? null : new byte[count];
                        b.read(index, a);
                        got[0] = a;
                        break;
                    }
                }
            };
            BigInteger start = BigInteger.valueOf(index).multiply(BigInteger.valueOf(unit));
            BigInteger end = start.add(BigInteger.valueOf(Math.max(count, 0) * (long) unit));
            boolean fits = index >= 0 && end.compareTo(BigInteger.valueOf(h.size())) <= 0;
            if (count < 0) {
                refused(refuseNull(kind % 2 == 0 ? "src" : "dst"), call);
            } else if (!fits) {
                refused(refuse(IndexOutOfBoundsException.class, "'" + h.model().name + "'", "index", "offset"), call);
            } else {
                accepted(call);
                int at = (int) (h.base() + index * unit);
                boolean writes = kind == 0 || kind == 2 || kind == 4 || kind == 6;
                if (writes) {
                    System.arraycopy(data, 0, h.model().bytes, at, data.length);
                } else if (!Arrays.equals(Arrays.copyOfRange(h.model().bytes, at, at + count * unit), got[0])) {
                    throw new AssertionError("a host read returned other data than the model: " + where());
                }
                if (isFloat && kind == 5 && got[0].length != 4) {
                    throw new AssertionError(where());
                }
            }
        }

        void hostVolatile() {
            View h = hostView();
            HostBuffer b = (HostBuffer) h.buffer();
            boolean isLong = r.nextBoolean();
            int width = isLong ? 8 : 4;
            long offset = r.nextBoolean() ? r.nextInt((int) h.size() + 2) : value(h.size());
            what = h + (isLong ? ".getLongVolatile(" : ".putIntVolatile(") + offset + ")";
            byte[] data = niceBytes(r, 4);
            long[] got = new long[1];
            Body call = () -> {
                if (isLong) {
                    got[0] = b.getLongVolatile(offset);
                } else {
                    b.putIntVolatile(offset, ByteBuffer.wrap(data).order(ByteOrder.nativeOrder()).getInt());
                }
            };
            if (!inside(offset, width, h.size())) {
                refused(refuse(IndexOutOfBoundsException.class, "'" + h.model().name + "'"), call);
            } else if ((h.base() + offset) % width != 0) {
                refused(refuse(IllegalArgumentException.class, "'" + h.model().name + "'"), call);
            } else {
                s.synchronize();
                accepted(call);
                int at = (int) (h.base() + offset);
                if (isLong) {
                    long expected = ByteBuffer.wrap(h.model().bytes).order(ByteOrder.nativeOrder()).getLong(at);
                    assertEquals(expected, got[0], where());
                } else {
                    System.arraycopy(data, 0, h.model().bytes, at, 4);
                }
            }
        }

        void launchScale() {
            // parameter 0: float* x; 1: float factor; 2: int n
            int bad = r.nextInt(6);   // 0-2: one argument of a wrong kind; 3: wrong count; 4-5: good kinds
            View x = bad >= 1 && bad <= 3 ? deviceView() : view();   // one bad argument at a time
            float factor = r.nextBoolean() ? 1f : -1f;
            long maxN = x.size() / 4;
            int n = r.nextInt(10) == 0 ? -r.nextInt(5) : r.nextInt((int) maxN + 1) + (r.nextInt(10) == 0 ? 1 : 0);
            Object[] args = {x.buffer(), factor, n};
            int badIndex = -1;
            if (bad <= 2) {
                badIndex = bad;
                Object[][] wrong = {
                    {null, 5L, 1.5f, Integer.valueOf(3)},
                    {1.0, 1, null, x.buffer()},
                    {(long) n, null, 2.5f, x.buffer()}};
                Object w = wrong[bad][r.nextInt(wrong[bad].length)];
                if (bad == 0 && r.nextBoolean()) {
                    w = hostView().buffer();   // host memory that is not mapped: not device-visible
                }
                args[bad] = w;
            }
            Object[] given = bad == 3 ? Arrays.copyOf(args, r.nextInt(5) == 0 ? 4 : r.nextInt(3)) : args;
            what = "launch scale" + Arrays.toString(given) + " on " + x;
            LaunchConfig cfg = LaunchConfig.forElements(Math.max(1, Math.abs(n)));
            Body call = () -> s.launch(scale, cfg, given);
            if (bad <= 2) {
                String[] params = {"'x'", "'factor'", "'n'"};
                int i = badIndex;
                refused(refuse(KernelArgumentException.class, params[i]), () -> {
                    try {
                        call.run();
                    } catch (KernelArgumentException e) {
                        assertEquals(i, e.parameterIndex(), "parameterIndex: " + where());
                        throw e;
                    }
                });
            } else if (bad == 3) {
                refused(refuse(KernelArgumentException.class, "takes 3 arguments"), call);
            } else if (x.isHost()) {
                refused(refuse(KernelArgumentException.class, "'x'"), call);   // host memory that is not mapped
            } else if (n < 0) {
                refusedAt(2, "'n'", call);   // counts are checked before buffers
            } else if (x.base() % 4 != 0 || n > maxN) {
                // an unaligned float* or a count past the buffer: refused at the call on every backend
                refusedAt(0, "'x'", call);
            } else {
                accepted(call);
                byte[] m = x.model().bytes;
                ByteBuffer bb = ByteBuffer.wrap(m).order(ByteOrder.nativeOrder());
                for (int i = 0; i < n; i++) {
                    int at = (int) (x.base() + 4L * i);
                    bb.putFloat(at, factor * bb.getFloat(at));
                }
            }
        }

        void launchSpin() {
            // parameter 0: long long ns
            Object[] choices = {200L, 0L, 5, null, 1.5f, deviceView().buffer(), hostView().buffer(), "1000"};
            Object ns = choices[r.nextInt(choices.length)];
            what = "launch spin(" + ns + ")";
            if (ns instanceof Long) {
                accepted(() -> s.launch(spin, LaunchConfig.forElements(1), ns));
            } else {
                refused(refuse(KernelArgumentException.class, "'ns'"), () -> {
                    try {
                        s.launch(spin, LaunchConfig.forElements(1), ns);
                    } catch (KernelArgumentException e) {
                        assertEquals(0, e.parameterIndex(), "parameterIndex: " + where());
                        throw e;
                    }
                });
            }
        }

        /** A launch of a bundled kernel refused at the call, naming parameter {@code index}. */
        void refusedAt(int index, String name, Body call) {
            refused(refuse(KernelArgumentException.class, name), () -> {
                try {
                    call.run();
                } catch (KernelArgumentException e) {
                    assertEquals(index, e.parameterIndex(), "parameterIndex: " + where());
                    throw e;
                }
            });
        }

        /** Waits for the stream and compares every allocation with the model. */
        void verify() {
            what = "synchronize and compare every buffer with the model";
            s.synchronize();
            for (Model m : concat(models, List.of(guard, hostGuard))) {
                byte[] got = new byte[m.bytes.length];
                if (m.isHost()) {
                    ((HostBuffer) m.root).read(0, got);
                } else {
                    s.copy(m.root, got);
                }
                if (!Arrays.equals(m.bytes, got)) {
                    int first = 0;
                    while (got[first] == m.bytes[first]) {
                        first++;
                    }
                    throw new AssertionError("'" + m.name + "' differs from the model at byte " + first + " (got "
                            + got[first] + ", expected " + m.bytes[first] + ") by " + where());
                }
            }
        }
    }

    @FunctionalInterface
    private interface Body {
        void run() throws Exception;
    }

    static float[] floats(byte[] b) {
        float[] f = new float[b.length / 4];
        ByteBuffer.wrap(b).order(ByteOrder.nativeOrder()).asFloatBuffer().get(f);
        return f;
    }

    static int[] ints(byte[] b) {
        int[] v = new int[b.length / 4];
        ByteBuffer.wrap(b).order(ByteOrder.nativeOrder()).asIntBuffer().get(v);
        return v;
    }

    static byte[] bytes(float[] f) {
        if (f == null) {
            return null;
        }
        ByteBuffer b = ByteBuffer.allocate(4 * f.length).order(ByteOrder.nativeOrder());
        b.asFloatBuffer().put(f);
        return b.array();
    }

    static byte[] bytes(int[] v) {
        if (v == null) {
            return null;
        }
        ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.nativeOrder());
        b.asIntBuffer().put(v);
        return b.array();
    }

    @ParameterizedTest
    @FieldSource("org.jgpu.conformance.Backend#ALL")
    void badArgumentsAreTypedNamedAndHarmlessAgainstAModelOfEveryBuffer(String backend) {
        int calls = Stress.scaled(20_000);
        Stress.bounded("fuzz of " + SEEDS.length + " x " + calls + " calls (" + backend + ")", Stress.limit(40, 20), () -> {
            for (long seed : SEEDS) {
                try (Context ctx = Context.create(Backend.options(backend).build())) {
                    Run run = new Run(backend, seed, ctx);
                    for (int i = 0; i < calls; i++) {
                        if (i % 100 == 0) {
                            Stress.checkpoint();
                        }
                        run.step();
                    }
                    run.verify();
                    // still usable
                    try (DeviceBuffer d = ctx.allocDevice(64)) {
                        ctx.defaultStream().fill(d, 3);
                        int[] back = new int[16];
                        ctx.defaultStream().copy(d, back);
                        assertEquals(3, back[15]);
                        ctx.synchronize();
                    }
                    Stress.report("fuzz %s, seed %d: %d calls: %d accepted and matched the model, %d refused with a typed "
                            + "exception naming the argument", backend, seed, calls, run.accepted, run.refused);
                }
            }
        });
    }

    @ParameterizedTest
    @FieldSource("org.jgpu.conformance.Backend#ALL")
    void typedSlicesTakeExactlyTheElementsAskedForOrAreRefused(String backend) {
        int calls = Stress.scaled(4_000);
        Stress.bounded("fuzz of typed slices (" + backend + ")", Stress.limit(20, 10), () -> {
            Random r = new Random(11);
            long[] edges = {0, 1, -1, 7, 8, 9, Long.MAX_VALUE, Long.MIN_VALUE, Long.MIN_VALUE / 2, Long.MIN_VALUE / 4,
                Long.MIN_VALUE / 8, Long.MAX_VALUE / 4 + 1, Long.MAX_VALUE / 8 + 1, 1L << 62, 1L << 61, 1L << 60,
                Integer.MAX_VALUE, 1L << 32};
            try (Context ctx = Context.create(Backend.options(backend).build());
                    DeviceBuffer d = ctx.allocDevice(64, "elements64")) {
                int accepted = 0;
                int refused = 0;
                for (int i = 0; i < calls; i++) {
                    ElementType type = ElementType.values()[r.nextInt(ElementType.values().length)];
                    long from = r.nextBoolean() ? r.nextInt(10) : edges[r.nextInt(edges.length)];
                    long count = r.nextBoolean() ? r.nextInt(10) : edges[r.nextInt(edges.length)];
                    BigInteger size = BigInteger.valueOf(type.bytes());
                    BigInteger start = BigInteger.valueOf(from).multiply(size);
                    BigInteger length = BigInteger.valueOf(count).multiply(size);
                    boolean valid = from >= 0 && count >= 0 && start.add(length).compareTo(BigInteger.valueOf(64)) <= 0;
                    String what = "slice(" + type + ", " + from + ", " + count + ") of a 64-byte buffer on " + backend;
                    DeviceBuffer slice;
                    try {
                        slice = d.slice(type, from, count);
                    } catch (IndexOutOfBoundsException e) {
                        if (valid) {
                            throw new AssertionError("a valid call was refused: " + what + ": " + e, e);
                        }
                        if (!e.getMessage().contains("elements64")) {
                            throw new AssertionError("the message does not name the buffer: " + what + ": " + e, e);
                        }
                        refused++;
                        continue;
                    } catch (RuntimeException e) {
                        throw new AssertionError(what + " threw " + e.getClass().getName() + ", expected "
                                + "IndexOutOfBoundsException: " + e, e);
                    }
                    if (!valid) {
                        throw new AssertionError("an invalid call was accepted: " + what + " gave a slice of " + slice.size()
                                + " bytes (" + slice.name() + "): the element offset overflowed");
                    }
                    assertEquals(length.longValueExact(), slice.size(), what);
                    accepted++;
                }
                Stress.report("typed slices %s: %d calls, %d accepted with the right size, %d refused naming the buffer",
                        backend, calls, accepted, refused);
            }
        });
    }
}
