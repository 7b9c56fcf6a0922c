package io.argate.image.interop;

import io.argate.image.lab.Lab;
import org.junit.jupiter.api.Assumptions;

/**
 * A missing peer program skips an interop test with the reason, or fails it when lab tests are
 * required ({@link Lab#required()}: CI sets {@code ARGATE_LAB_REQUIRED=true}).
 */
final class Prerequisite {
    private Prerequisite() {
    }

    static void missing(String why) {
        if (Lab.required()) {
            throw new AssertionError(why + ", and ARGATE_LAB_REQUIRED is set");
        }
        Assumptions.abort("skipped: " + why);
    }
}
