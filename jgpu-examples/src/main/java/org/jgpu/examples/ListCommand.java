package org.jgpu.examples;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Function;
import org.jgpu.BackendStatus;
import org.jgpu.Context;
import org.jgpu.ContextOptions;
import org.jgpu.DeviceInfo;
import org.jgpu.DeviceTopology;
import org.jgpu.GpuException;
import org.jgpu.PeerRoute;
import org.jgpu.sim.EngineModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code list}: the backends found here, whether each is usable and why not, and the devices of each usable one. */
@Command(name = "list", mixinStandardHelpOptions = true,
        description = "The backends found here, whether each is usable, and why not; the devices of each usable one "
                + "and how copies travel between them.")
final class ListCommand implements Callable<Integer> {
    /** What {@code list} says of a backend that is not on the class path. */
    static final String CUDA_MISSING = "not on the class path; add org.jgpu:jgpu-cuda";
    @Mixin
    Options.Json json;
    private final Commands.Io io;

    ListCommand(Commands.Io io) {
        this.io = io;
    }

    @Override
    public Integer call() {
        Report r = new Report(io.out(), json.enabled);
        report(Context.backends(), name -> Context.devices(ContextOptions.builder().backend(name).build()), r);
        r.finish();
        return 0;
    }

    /**
     * Reports {@code found}, the devices of each usable one, and how to get the CUDA backend when
     * it is not among them.
     *
     * @param found the backends
     * @param devices lists a backend's devices by its name
     * @param r the report
     */
    static void report(List<BackendStatus> found, Function<String, DeviceTopology> devices, Report r) {
        ArrayNode backends = JsonOutput.array();
        for (BackendStatus b : found) {
            r.line("%-5s %-8s %s", b.name(), b.usable() ? "usable" : "unusable", b.reason());
            ObjectNode node = backends.addObject().put("name", b.name()).put("registered", true).put("usable", b.usable())
                    .put("devices", b.deviceCount()).put("reason", b.reason());
            if (b.usable()) {
                topology(b.name(), devices, node, r);
            }
        }
        if (found.stream().noneMatch(b -> b.name().equals("cuda"))) {
            r.line("%-5s %-8s %s", "cuda", "missing", CUDA_MISSING);
            backends.addObject().put("name", "cuda").put("registered", false).put("usable", false).put("devices", 0)
                    .put("reason", CUDA_MISSING);
        }
        r.json.put("command", "list").set("backends", backends);
    }

    /** Lists a usable backend's devices under its line and in its JSON object, with the routes between them. */
    private static void topology(String backend, Function<String, DeviceTopology> devices, ObjectNode node, Report r) {
        DeviceTopology t;
        try {
            t = devices.apply(backend);
        } catch (GpuException | UnsupportedOperationException e) {
            // a backend that can open a device but not list them (a driver error, or a backend
            // without the listing) still gets its line, and says why
            r.line("      devices cannot be listed: %s", e.getMessage());
            node.put("topologyError", String.valueOf(e.getMessage()));
            return;
        }
        ObjectNode topology = node.putObject("topology");
        ArrayNode list = topology.putArray("devices");
        for (DeviceInfo d : t.devices()) {
            r.line("      device %d: %s, %.1f GiB, compute capability %s%s", d.ordinal(), d.name(),
                    d.totalMemoryBytes() / (double) (1L << 30), d.computeCapability(), d.simulated() ? " (simulated)" : "");
            list.addObject().put("ordinal", d.ordinal()).put("name", d.name()).put("totalMemoryBytes", d.totalMemoryBytes())
                    .put("computeCapability", d.computeCapability()).put("simulated", d.simulated());
        }
        if (backend.equals(EngineModel.BACKEND)) {
            r.line("      (it simulates as many devices as its engine model says: EngineModel.builder().devices(n), "
                    + "linked by .interconnect(...))");
        }
        ArrayNode routes = topology.putArray("routes");
        for (int from = 0; from < t.size(); from++) {
            ArrayNode row = routes.addArray();
            for (int to = 0; to < t.size(); to++) {
                row.add(t.route(from, to).label());
            }
        }
        if (t.size() > 1) {
            r.line("      copies between devices (row: from, column: to; P peer, S staged through host, - same device):");
            StringBuilder header = new StringBuilder("      from\\to");
            for (int to = 0; to < t.size(); to++) {
                header.append(String.format("%3d", to));
            }
            r.line("%s", header);
            for (int from = 0; from < t.size(); from++) {
                StringBuilder line = new StringBuilder(String.format("      %7d", from));
                for (int to = 0; to < t.size(); to++) {
                    line.append("  ").append(letter(t.route(from, to)));
                }
                r.line("%s", line);
            }
        }
    }

    private static char letter(PeerRoute route) {
        return switch (route) {
            case SAME_DEVICE -> '-';
            case PEER -> 'P';
            case STAGED -> 'S';
        };
    }
}
