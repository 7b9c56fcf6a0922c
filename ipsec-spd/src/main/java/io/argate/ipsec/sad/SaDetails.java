package io.argate.ipsec.sad;

import java.util.List;

/**
 * What a transform tells SHOW IPSEC SA=n about itself: label/value pairs such as
 * {@code Encryption algorithm / DES} and {@code Encryption ENCO channel / software 3}.
 */
public interface SaDetails {
    List<String[]> details();
}
