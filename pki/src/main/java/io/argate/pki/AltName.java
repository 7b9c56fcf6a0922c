package io.argate.pki;

import org.bouncycastle.asn1.x509.GeneralName;

import java.util.Optional;

/**
 * A subject alternative name of CREATE PKI CERTIFICATE ... SUBJECTALTNAME=: an IPv4 address
 * (iPAddress), user@domain (rfc822Name) or a domain name (dNSName), RFC 5280 section 4.2.1.6.
 */
public record AltName(int kind, String value) {
    public static Optional<AltName> parse(String text) {
        if (text.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
            for (String part : text.split("\\.")) {
                if (Integer.parseInt(part) > 255) {
                    return Optional.empty();
                }
            }
            return Optional.of(new AltName(GeneralName.iPAddress, text));
        }
        if (text.matches("[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+")) {
            return Optional.of(new AltName(GeneralName.rfc822Name, text));
        }
        if (text.matches("[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*")) {
            return Optional.of(new AltName(GeneralName.dNSName, text));
        }
        return Optional.empty();
    }

    GeneralName generalName() {
        return new GeneralName(kind, value);
    }
}
