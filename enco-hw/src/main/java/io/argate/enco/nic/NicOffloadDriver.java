package io.argate.enco.nic;

import com.sun.jna.LastErrorException;
import io.argate.enco.spi.Capability;
import io.argate.enco.spi.EncoDriver;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * ESP NIC offload: usable when a network interface advertises {@code esp-hw-offload} and the
 * kernel holds ESP states (XFRM). Then an SA pair can be installed into the kernel with the
 * offload device set ({@link XfrmSa}) for a host-mode data path. It offers no per-packet
 * channels to ENCO (the NIC does the whole ESP transform), so its capability list is empty;
 * SHOW ENCO prints what it found.
 */
public final class NicOffloadDriver implements EncoDriver {
    public static final String NAME = "nic-offload";

    private final List<String> capableNics = new ArrayList<>();
    private final List<String> checked = new ArrayList<>();
    private final String xfrmProblem;

    public NicOffloadDriver() {
        try (Stream<Path> nics = Files.list(Path.of("/sys/class/net"))) {
            for (Path p : nics.sorted().toList()) {
                String name = p.getFileName().toString();
                checked.add(name);
                try {
                    EthtoolFeatures.Feature f = EthtoolFeatures.of(name).get("esp-hw-offload");
                    if (f != null && f.available()) {
                        capableNics.add(name);
                    }
                } catch (LastErrorException e) {
                    // an interface without ethtool support cannot offload either
                }
            }
        } catch (IOException | UnsatisfiedLinkError | NoClassDefFoundError e) {
            checked.clear();
        }
        this.xfrmProblem = XfrmProbe.espUnsupported();
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<Capability> capabilities() {
        return List.of();
    }

    /** True when an SA pair could be installed with hardware offload. */
    public boolean present() {
        return !capableNics.isEmpty() && xfrmProblem == null;
    }

    public List<String> capableNics() {
        return List.copyOf(capableNics);
    }

    @Override
    public List<String> status() {
        List<String> out = new ArrayList<>();
        out.add(present() ? "present on " + String.join(", ", capableNics) : "not present");
        out.add(capableNics.isEmpty() ? "no interface advertises esp-hw-offload (checked " + String.join(", ", checked) + ")"
                : "esp-hw-offload on " + String.join(", ", capableNics));
        out.add(xfrmProblem == null ? "kernel XFRM holds ESP states" : "kernel ESP: " + xfrmProblem);
        return out;
    }
}
