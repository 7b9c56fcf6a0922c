package io.argate.image.lab;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * tshark capturing on a device inside a namespace into a pcapng file, then dissecting it as an
 * independent oracle (option strings from ../shared/lab/README.md). {@link #start} returns once
 * tshark reports "Capturing on", so nothing sent afterwards is missed; {@link #close()} stops it
 * (SIGTERM, so the file is complete) and is safe to call twice.
 */
final class LiveCapture implements AutoCloseable {
    /** One ESP SA for tshark's decryption table (uat:esp_sa). */
    record EspSa(long spi, String encryption, String encKeyHex, String authentication, String authKeyHex) {
        String uat() {
            return String.format("\"IPv4\",\"*\",\"*\",\"0x%08x\",\"%s\",\"0x%s\",\"%s\",\"0x%s\"", spi, encryption, encKeyHex,
                    authentication, authKeyHex);
        }
    }

    private final Process tshark;
    private final Path file;
    private final Path log;
    private final List<String> readArgs;

    private LiveCapture(Process tshark, Path file, Path log, List<String> readArgs) {
        this.tshark = tshark;
        this.file = file;
        this.log = log;
        this.readArgs = readArgs;
    }

    /**
     * Starts tshark on {@code device} in {@code netns}; {@code readArgs} are added whenever the
     * file is read (decode-as rules such as {@code -d udp.port==2746,udpencap}).
     */
    static LiveCapture start(String netns, String device, Path file, List<String> readArgs) throws Exception {
        Path log = file.resolveSibling(file.getFileName() + ".log");
        Process p = new ProcessBuilder("ip", "netns", "exec", netns, Lab.TSHARK, "-n", "-i", device, "-w", file.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        LiveCapture c = new LiveCapture(p, file, log, List.copyOf(readArgs));
        for (int i = 0; i < 300; i++) {
            String said = Files.readString(log);
            if (said.contains("Capturing on")) {
                return c;
            }
            if (!p.isAlive()) {
                throw new AssertionError("tshark -i " + device + " in " + netns + " exited " + p.exitValue() + ": " + said);
            }
            Thread.sleep(100);
        }
        c.close();
        throw new AssertionError("tshark -i " + device + " did not report capturing: " + Files.readString(log));
    }

    /**
     * Waits (up to 10 s) until the file holds at least {@code n} frames matching the display
     * {@code filter}, running {@code probe} before each look: tshark says "Capturing on" a moment
     * before packets reach the file, and writes the last ones a moment after they crossed.
     */
    void awaitFrames(String filter, int n, Runnable probe) throws Exception {
        int seen = 0;
        for (int i = 0; i < 50; i++) {
            probe.run();
            seen = frames(filter);
            if (seen >= n) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the capture holds " + seen + " frames matching " + filter + ", not " + n + ": " + log());
    }

    /** Frames so far matching {@code filter} (0 while the file is not readable yet). */
    int frames(String filter) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(Lab.TSHARK, "-n", "-r", file.toString(), "-Y", filter, "-T", "fields", "-e", "frame.number"));
        cmd.addAll(readArgs);
        Lab.Result r = Lab.run(cmd.toArray(new String[0]));
        return (int) r.out().lines().filter(l -> l.trim().matches("\\d+")).count();
    }

    /** One summary line per frame (tshark without -V), for a failure's message. */
    String summary() {
        List<String> cmd = new ArrayList<>(List.of(Lab.TSHARK, "-n", "-r", file.toString()));
        cmd.addAll(readArgs);
        return Lab.run(cmd.toArray(new String[0])).out();
    }

    /** Stops the capture; the file is complete afterwards. */
    @Override
    public void close() throws IOException, InterruptedException {
        if (tshark.isAlive()) {
            tshark.destroy();
            if (!tshark.waitFor(20, TimeUnit.SECONDS)) {
                tshark.destroyForcibly();
                tshark.waitFor(5, TimeUnit.SECONDS);
            }
        }
    }

    /** What tshark said while capturing (packet count on exit). */
    String log() throws IOException {
        return Files.readString(log);
    }

    /** Verbose dissection (-V) of the capture with ESP decryption and ICV checks for {@code sas}. */
    String dissect(List<EspSa> sas, String... extraArgs) throws IOException, InterruptedException {
        List<String> all = new ArrayList<>(readArgs);
        all.addAll(List.of(extraArgs));
        List<String> cmd = new ArrayList<>(List.of(Lab.TSHARK, "-n", "-r", file.toString(), "-V",
                "-o", "esp.enable_encryption_decode:TRUE", "-o", "esp.enable_authentication_check:TRUE"));
        for (EspSa sa : sas) {
            cmd.add("-o");
            cmd.add("uat:esp_sa:" + sa.uat());
        }
        cmd.addAll(all);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("tshark -r did not finish");
        }
        if (p.exitValue() != 0) {
            throw new AssertionError(String.join(" ", cmd) + " exited " + p.exitValue() + ":\n" + out);
        }
        return out;
    }
}
