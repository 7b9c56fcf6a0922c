package io.argate.ipsec.oracle;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * tshark as an independent oracle for argate's wire formats (DESIGN.md section 7): dissects a
 * capture, optionally decrypting ESP with the configured keys, and returns its verbose text.
 * The option strings follow ../shared/lab/README.md.
 */
public final class Tshark {
    private Tshark() {
    }

    /**
     * Skips the calling test when tshark is missing, or fails it when lab tests are required
     * (ARGATE_LAB_REQUIRED=true, as CI sets it): there the oracle must have run.
     */
    public static void require() {
        if (available()) {
            return;
        }
        String why = "tshark is not installed (.ci/run installs it)";
        if ("true".equals(System.getenv("ARGATE_LAB_REQUIRED")) || Boolean.getBoolean("argate.lab.required")) {
            throw new AssertionError(why + ", and ARGATE_LAB_REQUIRED is set");
        }
        org.junit.jupiter.api.Assumptions.abort("skipped: " + why);
    }

    public static boolean available() {
        return Files.isExecutable(Path.of("/usr/bin/tshark"));
    }

    /** One ESP SA for tshark's decryption table. */
    public record EspSa(String spiHex, String encryption, String encKeyHex, String authentication, String authKeyHex) {
        String uat() {
            return "\"IPv4\",\"*\",\"*\",\"" + spiHex + "\",\"" + encryption + "\",\"" + encKeyHex + "\",\"" + authentication + "\",\"" + authKeyHex + "\"";
        }
    }

    /** Verbose dissection (-V) of every packet in {@code pcap}, with ESP decryption for {@code sas}. */
    public static String dissect(Path pcap, List<EspSa> sas, String... extraArgs) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/tshark", "-n", "-r", pcap.toString(), "-V",
                "-o", "esp.enable_encryption_decode:TRUE", "-o", "esp.enable_authentication_check:TRUE"));
        for (EspSa sa : sas) {
            cmd.add("-o");
            cmd.add("uat:esp_sa:" + sa.uat());
        }
        cmd.addAll(List.of(extraArgs));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("tshark did not finish");
        }
        return new String(out, StandardCharsets.UTF_8);
    }
}
