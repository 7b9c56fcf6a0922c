package io.argate.enco;

import io.argate.enco.spi.Algorithm;

/** One open channel for SHOW ENCO: who uses it, for what, on which driver now. */
public record ChannelInfo(int id, String module, Algorithm algorithm, String driver, boolean fellBack) {
}
