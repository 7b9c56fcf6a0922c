package io.argate.store;

import java.time.Instant;

/**
 * One file as SHOW FILE lists it.
 *
 * @param name     the stored 8.3 name, lower case
 * @param longName the long name the file was created under, or null when it has none
 * @param size     bytes
 * @param modified last write
 */
public record FlashFile(String name, String longName, long size, Instant modified) {
}
