package io.argate.enco.nic;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Asks the kernel whether it can hold ESP states: sends an XFRM_MSG_NEWSA for a throw-away SA
 * (127.0.0.1 to 127.0.0.2, a reserved-looking SPI) over NETLINK_XFRM and reads the ack. If the
 * kernel accepts it, the SA is deleted again at once (XFRM_MSG_DELSA).
 */
final class XfrmProbe {
    private static final int AF_NETLINK = 16;
    private static final int SOCK_RAW = 3;
    private static final int NETLINK_XFRM = 6;
    private static final int XFRM_MSG_DELSA = 0x11;
    private static final int PROBE_SPI = 0x0000FFFE;

    private XfrmProbe() {
    }

    /** Null when the kernel accepts ESP states; otherwise the kernel's reason. */
    static String espUnsupported() {
        NetLib c = NetLib.INSTANCE;
        int fd;
        try {
            fd = c.socket(AF_NETLINK, SOCK_RAW, NETLINK_XFRM);
        } catch (LastErrorException e) {
            return "no XFRM netlink in this kernel (errno " + e.getErrorCode() + ")";
        } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
            return "libc could not be loaded through JNA: " + e.getMessage();
        }
        try {
            XfrmSa probe = new XfrmSa(0x7f000001, 0x7f000002, PROBE_SPI, 0, false, 0, null, "cbc(aes)", "hmac(sha1)",
                    new byte[16], new byte[20], 96, 0, false);
            int err = exchange(fd, probe.encodeNewSa(1));
            if (err == 0) {
                exchange(fd, delete());
                return null;
            }
            return "the kernel refused an ESP state (errno " + -err + (-err == 2 ? ", ENOENT: \"Requested type not found\", no ESP support" : "") + ")";
        } catch (LastErrorException e) {
            return "XFRM netlink failed (errno " + e.getErrorCode() + ")";
        } finally {
            c.close(fd);
        }
    }

    /** Sends one request and returns the error of the NLMSG_ERROR ack (0 = accepted). */
    private static int exchange(int fd, byte[] msg) throws LastErrorException {
        Memory m = new Memory(msg.length);
        m.write(0, msg, 0, msg.length);
        NetLib.INSTANCE.send(fd, m, msg.length, 0);
        Memory ack = new Memory(4096);
        long n = NetLib.INSTANCE.recv(fd, ack, 4096, 0);
        if (n >= 20 && ack.getShort(4) == 2) {
            return ack.getInt(16);
        }
        return -1;
    }

    /** XFRM_MSG_DELSA { xfrm_usersa_id: daddr[16], spi be32, family u16, proto u8, pad }. */
    private static byte[] delete() {
        ByteBuffer b = ByteBuffer.allocate(16 + 24).order(ByteOrder.nativeOrder());
        b.putInt(40).putShort((short) XFRM_MSG_DELSA).putShort((short) (XfrmSa.NLM_F_REQUEST | XfrmSa.NLM_F_ACK)).putInt(2).putInt(0);
        b.order(ByteOrder.BIG_ENDIAN).putInt(0x7f000002).put(new byte[12]).putInt(PROBE_SPI).order(ByteOrder.nativeOrder());
        b.putShort((short) XfrmSa.AF_INET).put((byte) XfrmSa.IPPROTO_ESP).put((byte) 0);
        return b.array();
    }
}
