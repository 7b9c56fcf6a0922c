package io.argate.image;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code --password-file FILE}: the batch password read from a file (or standard input for
 * {@code -}) rather than given on the command line, where every user of the machine can read
 * it in the process list. The first line is the password, without its line end.
 */
final class PasswordFile {
    private PasswordFile() {
    }

    static String read(String name) {
        try {
            BufferedReader r = name.equals("-")
                    ? new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))
                    : Files.newBufferedReader(Path.of(name), StandardCharsets.UTF_8);
            String line = r.readLine();
            if (!name.equals("-")) {
                r.close();
            }
            if (line == null) {
                throw new Options.UsageException("--password-file " + name + " is empty; its first line is the password");
            }
            return line;
        } catch (IOException e) {
            throw new Options.UsageException("--password-file " + name + " cannot be read: " + e.getMessage());
        }
    }
}
