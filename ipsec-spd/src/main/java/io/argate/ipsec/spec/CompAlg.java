package io.argate.ipsec.spec;

import io.argate.ipsec.wire.IpcompLayout;

/** COMPALG of an IPComp SA specification; DEFLATE (RFC 2394) is an argate extension. */
public enum CompAlg {
    LZS(IpcompLayout.CPI_LZS),
    DEFLATE(IpcompLayout.CPI_DEFLATE);

    private final int wellKnownCpi;

    CompAlg(int cpi) {
        this.wellKnownCpi = cpi;
    }

    /** The well-known CPI (RFC 3173 section 3.3), used by manual IPComp SAs. */
    public int wellKnownCpi() {
        return wellKnownCpi;
    }
}
