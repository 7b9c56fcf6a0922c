package io.argate.image.conformance;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The AR410 IPsec reference (seed 003) as the suite reads it: {@code ../shared/seeds/...} beside
 * the repository, found through the {@code argate.shared} property Maven sets, or by walking up
 * from the working directory. A missing file fails the suite with the place it looked: the
 * suite never passes without the reference.
 */
final class ReferenceSeed {
    static final String FILE = "seeds/003_4b836ff25c4d87af.txt";

    private ReferenceSeed() {
    }

    static List<String> lines() {
        Path p = locate();
        try {
            return Files.readAllLines(p, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the AR410 reference " + p + ": " + e.getMessage(), e);
        }
    }

    static Path locate() {
        String shared = System.getProperty("argate.shared");
        if (shared != null && Files.isRegularFile(Path.of(shared).resolve(FILE))) {
            return Path.of(shared).resolve(FILE);
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolveSibling("shared").resolve(FILE);
            if (dir.getParent() != null && Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("The AR410 reference " + FILE + " is missing: looked in "
                + (shared == null ? "(argate.shared not set)" : shared) + " and in ../shared beside every parent of "
                + Path.of("").toAbsolutePath() + ". The conformance suite needs ../shared beside the repository.");
    }
}
