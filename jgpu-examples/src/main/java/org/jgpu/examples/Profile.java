package org.jgpu.examples;


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
     * @throws IllegalArgumentException if it is neither
     */
    public static Profile parse(String name) {
        if (name.equals(RESNET50.name())) {
            return RESNET50;
        }
        String[] parts = name.split(",");
        if (parts.length != 4) {
            throw new IllegalArgumentException("unknown profile '" + name + "': use resnet50 or load,upload,compute,download in ms");
        }
        try {
            return new Profile("custom", Double.parseDouble(parts[0]), Double.parseDouble(parts[1]),
                    Double.parseDouble(parts[2]), Double.parseDouble(parts[3]));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("profile '" + name + "': stage times must be numbers of ms", e);
        }
    }

    /**
     * @param factor multiplies every stage time, e.g. 0.05
     * @return the scaled profile
     */
    public Profile scaled(double factor) {
        return new Profile(name, loadMs * factor, uploadMs * factor, computeMs * factor, downloadMs * factor);
    }

    /** @return the profile as a JSON object */
    public Json json() {
        return new Json().put("name", name).put("loadMs", loadMs, 4).put("uploadMs", uploadMs, 4)
                .put("computeMs", computeMs, 4).put("downloadMs", downloadMs, 4);
    }
}
