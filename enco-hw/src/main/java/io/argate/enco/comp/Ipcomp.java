package io.argate.enco.comp;

/**
 * The IPComp sending rules (RFC 3173 section 2.2 and the algorithm RFCs): datagrams below a
 * threshold are not worth compressing (RFC 2394 and RFC 2395 both suggest 90 bytes), and a
 * datagram whose compressed form is not smaller is sent uncompressed.
 */
public final class Ipcomp {
    /** Smallest payload worth compressing. */
    public static final int THRESHOLD = 90;

    private Ipcomp() {
    }

    /** True when a compressed length counts as a saving over the original. */
    public static boolean worthSending(int compressedLength, int originalLength) {
        return compressedLength >= 0 && compressedLength < originalLength;
    }
}
