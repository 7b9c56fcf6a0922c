package io.argate.ipsec.oracle;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes raw IPv4 packets as a classic pcap file (LINKTYPE_RAW = 101: each record is an IP
 * packet with no link header) so tshark can dissect what argate put on the wire.
 */
public final class PcapFile {
    private static final int LINKTYPE_RAW = 101;

    private PcapFile() {
    }

    public static void write(Path file, List<byte[]> packets) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteBuffer h = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
        h.putInt(0xa1b2c3d4).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0).putInt(65535).putInt(LINKTYPE_RAW);
        out.write(h.array());
        int second = 1_700_000_000;
        for (byte[] p : packets) {
            ByteBuffer r = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
            r.putInt(second++).putInt(0).putInt(p.length).putInt(p.length);
            out.write(r.array());
            out.write(p);
        }
        Files.write(file, out.toByteArray());
    }
}
