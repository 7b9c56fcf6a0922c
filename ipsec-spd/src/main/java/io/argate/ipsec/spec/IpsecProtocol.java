package io.argate.ipsec.spec;

/**
 * The three IPsec protocols an SA specification can name, in the order they are applied to an
 * outbound packet when joined with AND: IPComp first (compression must see plaintext), then ESP,
 * then AH (seed 003, bundle specification section).
 */
public enum IpsecProtocol {
    COMP("IPComp", 108),
    ESP("ESP", 50),
    AH("AH", 51);

    private final String display;
    private final int ipProtocol;

    IpsecProtocol(String display, int ipProtocol) {
        this.display = display;
        this.ipProtocol = ipProtocol;
    }

    /** As SHOW IPSEC SA prints it: ESP, AH, IPComp. */
    public String display() {
        return display;
    }

    /** IP protocol number of the header (RFC 4303, 4302, 3173). */
    public int ipProtocol() {
        return ipProtocol;
    }
}
