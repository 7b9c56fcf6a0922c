package io.argate.enco.key;

/**
 * One ENCO key. The value never leaves ENCO except to bind a channel, to SHOW ENCO KEY=n for an
 * authorised user, and encrypted into NVS.
 *
 * @param id          0..65535
 * @param type        key type
 * @param value       the key bytes
 * @param text        true when VALUE was given as a string (SHOW prints it back as typed)
 * @param description 0..25 characters
 */
public record EncoKey(int id, KeyType type, byte[] value, boolean text, String description) {
}
