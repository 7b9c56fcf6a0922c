package io.argate.store;

import java.nio.file.Path;

/**
 * Child process for {@link NvsProcessTest}. {@code hold}: open NVS, say "open", wait for stdin
 * to close. {@code count}: store an increasing counter setting forever, printing each value once
 * its transaction has committed.
 */
public final class NvsChild {

    private NvsChild() {
    }

    public static void main(String[] args) throws Exception {
        try (Nvs nvs = Nvs.open(Path.of(args[1]))) {
            if (args[0].equals("hold")) {
                System.out.println("open");
                System.out.flush();
                while (System.in.read() >= 0) {
                    // hold the database until the parent closes our stdin
                }
                return;
            }
            for (long n = 1; ; n++) {
                nvs.putSetting("counter", Long.toString(n));
                System.out.println(n);
                System.out.flush();
            }
        }
    }
}
