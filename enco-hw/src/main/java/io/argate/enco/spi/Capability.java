package io.argate.enco.spi;

/**
 * One algorithm a driver offers: whether hardware does it, and a cost hint (lower is better;
 * roughly nanoseconds per 1400-byte packet) the ENCO service uses to choose among drivers.
 */
public record Capability(Algorithm algorithm, boolean hardware, int cost) {
}
