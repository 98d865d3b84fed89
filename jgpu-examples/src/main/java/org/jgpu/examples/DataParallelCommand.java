package org.jgpu.examples;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.EnumSet;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.jgpu.Context;
import org.jgpu.ContextOptions;
import org.jgpu.DeviceGroup;
import org.jgpu.Diagnostic;
import org.jgpu.sim.EngineModel;
import org.jgpu.sim.Interconnect;
import org.jgpu.trace.ChromeTrace;
import org.jgpu.trace.Timeline;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/** {@code data-parallel}: one model trained on N devices of a {@link DeviceGroup} against one device. */
@Command(name = "data-parallel", mixinStandardHelpOptions = true,
        description = {"Data-parallel SGD on N devices of one DeviceGroup (a replica of the weights and a shard of each "
                + "batch per device, gradients summed by a ring all-reduce) against the same batches on one device: "
                + "throughput, scaling, the routes between devices, a Gantt chart of every device, and the check that "
                + "every replica ends with the single device's weights.",
                "On the host backend the devices are simulated (" + DataParallelCommand.HOST_DEVICES + " of them, linked "
                + "as --interconnect says)."})
final class DataParallelCommand implements Callable<Integer> {
    /** How many devices the host backend simulates for this command: a machine of eight GPUs. */
    static final int HOST_DEVICES = 8;
    /** Devices trained on when {@code --devices} is not given (or all there are, if fewer). */
    static final int DEFAULT_DEVICES = 4;

    @Mixin
    Options.Backend backend;
    @Mixin
    Options.Json json;
    @Mixin
    Options.Trace trace;
    @Mixin
    Options.Progress progress;
    @Option(names = "--devices", paramLabel = "N", converter = Options.PositiveInt.class,
            description = "devices to train on, at most as many as the backend has (default: " + DEFAULT_DEVICES
                    + ", or all the backend has if fewer)")
    Integer devices;
    @Option(names = "--steps", paramLabel = "N", defaultValue = "10", converter = Options.PositiveInt.class,
            description = "SGD steps of each run (default: ${DEFAULT-VALUE})")
    int steps;
    @Option(names = "--profile", paramLabel = "compute|comm|US,MIB", defaultValue = "compute", converter = ProfileName.class,
            description = "work per step besides the linear model: compute (200 us of device compute per sample), comm "
                    + "(5 us per sample, 16 MiB more gradient to all-reduce) or US,MIB (default: ${DEFAULT-VALUE})")
    ParallelProfile profile;
    @Option(names = "--interconnect", paramLabel = "nvlink|pcie|host", converter = InterconnectName.class,
            description = "host backend only: how its simulated devices are linked: NVLink (300 GB/s), PCIe peer-to-peer "
                    + "(24 GB/s) or staged through host memory (default: nvlink)")
    Interconnect interconnect;
    @Spec
    CommandSpec spec;
    private final Commands.Io io;

    DataParallelCommand(Commands.Io io) {
        this.io = io;
    }

    @Override
    public Integer call() {
        Plan plan = plan();
        Report r = new Report(io.out(), json.enabled);
        r.json.put("command", spec.name());
        Timeline t = DataParallelExample.run(plan.options(), new DataParallelExample.Settings(plan.devices(), steps, profile,
                link(plan.options())), progress, io.err(), r);
        if (trace.file != null) {
            try {
                Files.writeString(trace.file, ChromeTrace.json(t));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write the trace to " + trace.file + ": " + e.getMessage(), e);
            }
            r.line("timelines of both runs written to %s as a Chrome trace (open it in Perfetto)", trace.file);
            r.json.put("trace", trace.file.toString());
        }
        r.finish();
        return 0;
    }

    /**
     * The options of the groups and how many devices to train on.
     *
     * @param options the backend asked for, tracing every device, and on the host backend a model
     *        of {@link #HOST_DEVICES} devices linked by the interconnect asked for
     * @param devices {@code --devices}, or by default {@link #DEFAULT_DEVICES} or all the backend has if fewer
     */
    private record Plan(ContextOptions options, int devices) {
    }

    /**
     * Checks {@code --devices} and {@code --interconnect} against the backend, before any work.
     *
     * @throws ParameterException if --devices is more than the backend has or than a batch has
     *         samples, or --interconnect is given for another backend than the host
     */
    private Plan plan() {
        ContextOptions.Builder b = ContextOptions.builder().backend(backend.name).diagnostics(EnumSet.of(Diagnostic.TIMELINE));
        String chosen = Context.devices(b.build()).backend();   // which backend auto, the property or JGPU_BACKEND picks
        if (chosen.equals(EngineModel.BACKEND)) {
            b.backend(EngineModel.BACKEND).configure(EngineModel.builder().devices(HOST_DEVICES)
                    .interconnect(interconnect == null ? Interconnect.NVLINK : interconnect).build());
        } else if (interconnect != null) {
            throw new ParameterException(spec.commandLine(), "--interconnect applies to the host backend's simulated devices, "
                    + "not " + chosen + "'s");
        }
        ContextOptions options = b.build();
        int available = Context.devices(options).size();
        if (devices == null) {
            return new Plan(options, Math.min(DEFAULT_DEVICES, available));
        }
        if (devices > available) {
            throw new ParameterException(spec.commandLine(), String.format(Locale.ROOT, "--devices %d is more than the %s "
                    + "backend has: %d", devices, chosen, available));
        }
        if (devices > DataParallelExample.GLOBAL_BATCH) {
            throw new ParameterException(spec.commandLine(), "--devices " + devices + " is more than the "
                    + DataParallelExample.GLOBAL_BATCH + " samples of a batch: every device needs a shard");
        }
        return new Plan(options, devices);
    }

    /** @return how the devices are linked, for the report: the host model's interconnect, or the hardware's */
    private static String link(ContextOptions options) {
        if (options.settingsFor(EngineModel.BACKEND) instanceof EngineModel m) {
            return String.format(Locale.ROOT, "simulated %s%s", switch (m.interconnect()) {
                case NVLINK -> "NVLink";
                case PCIE -> "PCIe peer-to-peer";
                case HOST -> "devices without peer access (copies staged through host memory)";
            }, m.interconnect().peerAccess()
                    ? String.format(Locale.ROOT, " at %.0f GB/s each way", m.peerBytesPerSecond() / 1e9) : "");
        }
        return "linked as the hardware is";
    }

    /** {@code compute}, {@code comm} or {@code US,MIB}. */
    static final class ProfileName implements ITypeConverter<ParallelProfile> {
        @Override
        public ParallelProfile convert(String value) {
            try {
                return ParallelProfile.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    /** {@code nvlink}, {@code pcie} or {@code host}. */
    static final class InterconnectName implements ITypeConverter<Interconnect> {
        @Override
        public Interconnect convert(String value) {
            return switch (value.trim().toLowerCase(Locale.ROOT)) {
                case "nvlink" -> Interconnect.NVLINK;
                case "pcie" -> Interconnect.PCIE;
                case "host" -> Interconnect.HOST;
                default -> throw new TypeConversionException("'" + value + "' is not an interconnect; use nvlink, pcie or host");
            };
        }
    }
}
