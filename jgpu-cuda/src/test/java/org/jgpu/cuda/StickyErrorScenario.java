package org.jgpu.cuda;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jgpu.AsyncOperationException;
import org.jgpu.BundledKernels;
import org.jgpu.Context;
import org.jgpu.ContextOptions;
import org.jgpu.DeviceBuffer;
import org.jgpu.Kernel;
import org.jgpu.LaunchConfig;
import org.jgpu.KernelModule;
import org.jgpu.ModuleSource;
import org.jgpu.Stream;
import org.jgpu.StreamOptions;

/**
 * A sticky error, in a JVM of its own (CUDA cannot be used again in a process after one): run by
 * {@code CudaBackendTest} as a child process. Prints one line per check ({@code CHECK ok|FAIL
 * what: detail}) and exits with {@link #PASSED}, {@link #FAILED} or {@link #UNUSABLE}.
 */
public final class StickyErrorScenario {
    /** Every check passed. */
    public static final int PASSED = 0;
    /** A check failed. */
    public static final int FAILED = 1;
    /** The cuda backend cannot be used in the child; the line before says why. */
    public static final int UNUSABLE = 3;
    /** The JVM did not exit after the scenario (a shutdown hook hung). */
    public static final int EXIT_HUNG = 4;

    private final List<String> failures = new ArrayList<>();

    private StickyErrorScenario() {
    }

    /**
     * Runs the scenario.
     *
     * @param args none
     */
    public static void main(String[] args) {
        var a = new CudaBackendProvider().probe();
        if (!a.usable()) {
            exit(UNUSABLE, "UNUSABLE " + a.reason());
        }
        StickyErrorScenario s = new StickyErrorScenario();
        try {
            s.run();
        } catch (Throwable t) {
            s.check("the scenario runs to its end", false, t.toString());
            t.printStackTrace(System.out);
        }
        exit(s.failures.isEmpty() ? PASSED : FAILED, s.failures.isEmpty() ? "PASSED" : "FAILED " + s.failures);
    }

    private static Context cuda() {
        return Context.create(ContextOptions.builder().backend("cuda").build());
    }

    private void run() throws Exception {
        Context ctx = cuda();
        Context other = cuda();   // a second jgpu context on the same device: the same primary context
        KernelModule m = ctx.loadModule(ModuleSource.resource(getClass().getClassLoader(), BundledBinaries.PTX_RESOURCE));
        Kernel spin = m.kernel(BundledKernels.SPIN);
        Kernel scale = m.kernel(BundledKernels.SCALE);
        Stream s = ctx.createStream(StreamOptions.builder().name("faulty").build());
        // the spin holds the stream while the rest is enqueued, so no enqueue call meets the fault
        s.launch(spin, LaunchConfig.forElements(1), 300_000_000L);
        // the PTX itself, not the contract: its .u64 parameter takes a raw address; 16 is not ours
        s.launch(scale, LaunchConfig.forElements(1 << 20), 16L, 2f, 1 << 20);
        CompletableFuture<Void> done = s.onComplete();
        CompletableFuture<Void> called = s.callback(() -> { });

        AsyncOperationException e = null;
        try {
            s.synchronize();
        } catch (AsyncOperationException x) {
            e = x;
        }
        check("synchronize throws AsyncOperationException", e != null, "it returned");
        if (e == null) {
            return;
        }
        String msg = e.getMessage();
        check("it names the launch and the stream", msg.contains("launch scale") && msg.contains("'faulty'"), msg);
        check("its cause is a sticky CudaException", e.getCause() instanceof CudaException
                && ((CudaException) e.getCause()).isSticky(), String.valueOf(e.getCause()));
        failsFast("the context that saw it fails fast", () -> ctx.allocDevice(16));
        failsFast("a second context of the device fails fast", () -> other.allocDevice(16));
        failsFast("the second context's default stream fails fast", () -> other.defaultStream().synchronize());

        // LOSS CALLBACKS: the onComplete() future and the callback() enqueued behind the fault
        // complete exceptionally once the context is found lost (the driver never calls their host
        // functions after a sticky error).
        completesExceptionally("onComplete() future", done);
        completesExceptionally("callback() future", called);

        String closed = bounded(ctx::close);
        check("close of the context that saw it returns or throws within 20 s", closed != null, String.valueOf(closed));
        closed = bounded(other::close);
        check("close of the second context returns or throws within 20 s", closed != null, String.valueOf(closed));

        // best effort: CUDA documents that the process must be restarted; reported, not checked
        String again = bounded(() -> {
            try (Context c = cuda(); DeviceBuffer d = c.allocDevice(64)) {
                c.defaultStream().fill(d, 1f);
                c.synchronize();
            }
        });
        System.out.println("INFO a new context after the loss: " + (again == null ? "hung" : again));
    }

    private void failsFast(String what, Runnable call) {
        try {
            call.run();
            check(what, false, "the call succeeded");
        } catch (CudaException x) {
            String m = x.getMessage();
            check(what, x.isSticky() && m.contains("lost earlier by") && m.contains("launch scale"), m);
        } catch (RuntimeException x) {
            check(what, false, x.toString());
        }
    }

    private void completesExceptionally(String what, CompletableFuture<Void> f) throws InterruptedException {
        try {
            f.get(10, TimeUnit.SECONDS);
            check(what + " completes exceptionally", false, "it completed normally");
        } catch (ExecutionException x) {
            check(what + " completes exceptionally", true, String.valueOf(x.getCause()));
        } catch (TimeoutException x) {
            check(what + " completes exceptionally within 10 s", false, "it is still pending");
        }
    }

    /** @return "returned" or "threw ...", or null if the action did not end within 20 s */
    private static String bounded(Runnable action) throws InterruptedException {
        String[] result = new String[1];
        Thread t = new Thread(() -> {
            try {
                action.run();
                result[0] = "returned";
            } catch (RuntimeException | Error x) {
                result[0] = "threw " + x;
            }
        }, "bounded");
        t.setDaemon(true);
        t.start();
        t.join(20_000);
        return t.isAlive() ? null : result[0];
    }

    private void check(String what, boolean ok, String detail) {
        System.out.println("CHECK " + (ok ? "ok   " : "FAIL ") + what + ": " + detail);
        if (!ok) {
            failures.add(what);
        }
    }

    private static void exit(int code, String line) {
        System.out.println(line);
        System.out.flush();
        Thread watchdog = new Thread(() -> {
            try {
                Thread.sleep(15_000);
            } catch (InterruptedException e) {
                return;
            }
            System.out.println("EXIT HUNG: a shutdown hook did not finish within 15 s");
            System.out.flush();
            Runtime.getRuntime().halt(EXIT_HUNG);
        }, "exit-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
        System.exit(code);
    }
}
