package io.argate.enco;

import io.argate.enco.spi.Algorithm;
import io.argate.enco.spi.Capability;
import io.argate.enco.spi.EncoDriver;

import java.util.Map;

/**
 * A driver after its start-up self-test: the algorithms admitted (with their capability) and
 * the ones refused with the reason.
 */
public record DriverStatus(EncoDriver driver, Map<Algorithm, Capability> admitted, Map<Algorithm, String> refused) {
    public String name() {
        return driver.name();
    }
}
