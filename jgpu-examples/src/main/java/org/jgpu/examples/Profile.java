package org.jgpu.examples;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Stage times of a pipeline workload, in milliseconds per batch.
 *
 * @param name e.g. {@code resnet50}
 * @param loadMs CPU time to prepare a batch
 * @param uploadMs host-to-device copy time
 * @param computeMs device compute time
 * @param downloadMs device-to-host copy time
 */
public record Profile(String name, double loadMs, double uploadMs, double computeMs, double downloadMs) {

    /** The classic ResNet-50 training-step table: load 50, upload 10, compute 100, download 5 ms. */
    public static final Profile RESNET50 = new Profile("resnet50", 50, 10, 100, 5);

    /**
     * @param name a built-in profile name, or {@code load,upload,compute,download} in ms
     * @return the profile
     * @throws IllegalArgumentException if it is neither, or a time is negative or not finite
     */
    public static Profile parse(String name) {
        if (name.equals(RESNET50.name())) {
            return RESNET50;
        }
        String[] parts = name.split(",");
        if (parts.length != 4) {
            throw new IllegalArgumentException("unknown profile '" + name + "': use resnet50 or load,upload,compute,download in ms");
        }
        double[] ms = new double[4];
        for (int i = 0; i < 4; i++) {
            try {
                ms[i] = Double.parseDouble(parts[i].trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("profile '" + name + "': stage times must be numbers of ms", e);
            }
            if (!(ms[i] >= 0) || !Double.isFinite(ms[i])) {
                throw new IllegalArgumentException("profile '" + name + "': stage times must be finite and not negative");
            }
        }
        return new Profile("custom", ms[0], ms[1], ms[2], ms[3]);
    }

    /**
     * @param factor multiplies every stage time, e.g. 0.05
     * @return the scaled profile
     */
    public Profile scaled(double factor) {
        return new Profile(name, loadMs * factor, uploadMs * factor, computeMs * factor, downloadMs * factor);
    }

    /** @return the profile as a JSON object */
    public ObjectNode json() {
        return JsonOutput.object().put("name", name).put("loadMs", JsonOutput.round(loadMs, 4))
                .put("uploadMs", JsonOutput.round(uploadMs, 4)).put("computeMs", JsonOutput.round(computeMs, 4))
                .put("downloadMs", JsonOutput.round(downloadMs, 4));
    }
}
