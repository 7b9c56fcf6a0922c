package io.argate.store;

import java.nio.file.Path;

/**
 * Child process for {@link FlashCrashTest}: rewrites one flash file forever, alternating between
 * two contents, and prints a line after each complete write so the parent knows it is busy.
 */
public final class FlashRewriter {

    private FlashRewriter() {
    }

    public static void main(String[] args) {
        Flash flash = new Flash(Path.of(args[0]));
        String name = args[1];
        int size = Integer.parseInt(args[2]);
        byte[][] contents = {FlashCrashTest.content('A', size), FlashCrashTest.content('B', size)};
        for (long n = 0; ; n++) {
            flash.write(name, contents[(int) (n % 2)]);
            System.out.println("wrote " + n);
            System.out.flush();
        }
    }
}
