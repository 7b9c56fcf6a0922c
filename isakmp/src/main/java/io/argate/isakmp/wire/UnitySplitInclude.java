package io.argate.isakmp.wire;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The value of Cisco Unity's UNITY_SPLIT_INCLUDE attribute (28676): the networks a client
 * sends through the tunnel, each as 14 bytes: network, mask, then protocol, source port and
 * destination port (zero: any) and one pad byte, as the Cisco-style clients and strongSwan's
 * unity plugin read it.
 */
public final class UnitySplitInclude {
    public static final int ENTRY = 14;

    public record Network(int address, int mask) {
    }

    private UnitySplitInclude() {
    }

    public static byte[] encode(List<Network> networks) {
        ByteBuffer b = ByteBuffer.allocate(networks.size() * ENTRY);
        for (Network n : networks) {
            b.putInt(n.address()).putInt(n.mask()).put(new byte[ENTRY - 8]);
        }
        return b.array();
    }

    /** The networks of a value; a value that is not whole entries is refused (never read past its end). */
    public static List<Network> decode(byte[] value) throws WireException {
        if (value.length % ENTRY != 0) {
            throw new WireException(WireException.Reason.BAD_ATTRIBUTE, "UNITY_SPLIT_INCLUDE of " + value.length
                    + " bytes is not whole " + ENTRY + "-byte entries");
        }
        List<Network> out = new ArrayList<>();
        ByteBuffer b = ByteBuffer.wrap(value);
        while (b.remaining() >= ENTRY) {
            int a = b.getInt();
            int m = b.getInt();
            b.position(b.position() + ENTRY - 8);
            out.add(new Network(a, m));
        }
        return out;
    }
}
