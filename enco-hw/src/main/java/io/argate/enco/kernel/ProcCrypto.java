package io.argate.enco.kernel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The kernel's crypto drivers as /proc/crypto lists them: for each algorithm name the kernel
 * picks the registered driver of highest priority, which is what an AF_ALG socket gets.
 * Whether that driver is a hardware accelerator (QAT, CCP, CAAM and the like register here) or
 * a CPU implementation is judged from the driver and module names.
 */
public final class ProcCrypto {
    /** One /proc/crypto entry. */
    public record Entry(String name, String driver, String module, int priority, String type) {
        /** True for accelerator drivers, false for CPU implementations (generic C, AES-NI, AVX ...). */
        public boolean hardware() {
            String d = (driver + " " + module).toLowerCase(Locale.ROOT);
            for (String hw : HARDWARE) {
                if (d.contains(hw)) {
                    return true;
                }
            }
            return false;
        }
    }

    /** Name fragments of kernel drivers for crypto accelerators (drivers/crypto in Linux). */
    private static final List<String> HARDWARE = List.of("qat", "ccp", "caam", "safexcel", "atmel", "omap", "mv_cesa", "marvell",
            "sun8i", "sun4i", "n2_", "hisi", "artpec", "stm32", "virtio_crypto", "nitrox", "chcr", "octeontx", "cpt", "talitos",
            "inside-secure", "amlogic", "rockchip", "keembay", "mxs-dcp", "sahara", "img-hash", "ixp4xx", "nx-", "zip", "qce");

    private final List<Entry> entries;

    public ProcCrypto(List<Entry> entries) {
        this.entries = List.copyOf(entries);
    }

    public static ProcCrypto read() {
        try {
            return parse(Files.readString(Path.of("/proc/crypto")));
        } catch (IOException e) {
            return new ProcCrypto(List.of());
        }
    }

    public static ProcCrypto parse(String text) {
        List<Entry> out = new ArrayList<>();
        String name = null;
        String driver = null;
        String module = null;
        String type = null;
        int priority = 0;
        for (String line : (text + "\n\n").split("\n", -1)) {
            if (line.isBlank()) {
                if (name != null && driver != null) {
                    out.add(new Entry(name, driver, module == null ? "" : module, priority, type == null ? "" : type));
                }
                name = driver = module = type = null;
                priority = 0;
                continue;
            }
            int colon = line.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String k = line.substring(0, colon).trim();
            String v = line.substring(colon + 1).trim();
            switch (k) {
                case "name" -> name = v;
                case "driver" -> driver = v;
                case "module" -> module = v;
                case "type" -> type = v;
                case "priority" -> {
                    try {
                        priority = Integer.parseInt(v);
                    } catch (NumberFormatException ignored) {
                        priority = 0;
                    }
                }
                default -> { }
            }
        }
        return new ProcCrypto(out);
    }

    public List<Entry> entries() {
        return entries;
    }

    /** The driver the kernel would use for {@code name}. */
    public Optional<Entry> selected(String name) {
        return entries.stream().filter(e -> e.name().equals(name)).max(Comparator.comparingInt(Entry::priority));
    }
}
