package io.argate.enco.nic;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One XFRM state (SA) as the kernel's netlink API takes it (linux/xfrm.h), and its encoding as
 * an XFRM_MSG_NEWSA request: nlmsghdr (16 bytes), struct xfrm_usersa_info (224 bytes on LP64),
 * then attributes. Layout of xfrm_usersa_info, host byte order except the network-order fields:
 *
 * <pre>
 *   0  struct xfrm_selector sel       56  (zero: any traffic, as a tunnel SA)
 *  56  struct xfrm_id { daddr[16], spi (be32), proto u8, pad 3 }
 *  80  xfrm_address_t saddr           16
 *  96  struct xfrm_lifetime_cfg       64  (byte/packet limits, then add/use expiry)
 * 160  struct xfrm_lifetime_cur       32
 * 192  struct xfrm_stats              12
 * 204  seq u32, 208 reqid u32, 212 family u16, 214 mode u8, 215 replay_window u8, 216 flags u8
 * 217  padding to 224
 * </pre>
 *
 * Attributes: XFRMA_ALG_AEAD (18) { name[64], key_len bits u32, icv_len bits u32, key },
 * XFRMA_ALG_CRYPT (2) { name[64], key_len bits, key }, XFRMA_ALG_AUTH_TRUNC (20)
 * { name[64], key_len bits, trunc_len bits, key }, XFRMA_OFFLOAD_DEV (28) { ifindex s32,
 * flags u8, padding to 8 } with XFRM_OFFLOAD_INBOUND = 2. Each attribute is padded to 4 bytes.
 *
 * @param src        tunnel source (IPv4, network order as int)
 * @param dst        tunnel destination
 * @param spi        SPI
 * @param reqid      ties the SA to a policy
 * @param tunnel     mode tunnel (1) or transport (0)
 * @param replay     replay window
 * @param aead       AEAD algorithm name (e.g. rfc4106(gcm(aes))) or null
 * @param cipher     cipher name (e.g. cbc(aes)) or null
 * @param auth       auth name (e.g. hmac(sha1)) or null
 * @param encKey     AEAD key+salt or cipher key
 * @param authKey    auth key
 * @param icvBits    AEAD ICV or auth truncation length in bits
 * @param offloadIf  interface index for ESP hardware offload, or 0 for none
 * @param inbound    offload direction
 */
public record XfrmSa(int src, int dst, int spi, int reqid, boolean tunnel, int replay, String aead, String cipher, String auth,
                     byte[] encKey, byte[] authKey, int icvBits, int offloadIf, boolean inbound) {

    public static final int XFRM_MSG_NEWSA = 0x10;
    public static final int NLM_F_REQUEST = 1;
    public static final int NLM_F_ACK = 4;
    static final int USERSA_INFO = 224;
    static final int XFRMA_ALG_CRYPT = 2;
    static final int XFRMA_ALG_AEAD = 18;
    static final int XFRMA_ALG_AUTH_TRUNC = 20;
    static final int XFRMA_OFFLOAD_DEV = 28;
    static final int XFRM_OFFLOAD_INBOUND = 2;
    static final int IPPROTO_ESP = 50;
    static final int AF_INET = 2;
    static final long XFRM_INF = -1L;

    /** The whole XFRM_MSG_NEWSA netlink message. */
    public byte[] encodeNewSa(int seq) {
        ByteBuffer b = ByteBuffer.allocate(1024).order(ByteOrder.nativeOrder());
        b.position(16);
        // struct xfrm_usersa_info
        b.put(new byte[56]);
        b.order(ByteOrder.BIG_ENDIAN).putInt(dst).put(new byte[12]).putInt(spi).order(ByteOrder.nativeOrder());
        b.put((byte) IPPROTO_ESP).put(new byte[3]);
        b.order(ByteOrder.BIG_ENDIAN).putInt(src).put(new byte[12]).order(ByteOrder.nativeOrder());
        b.putLong(XFRM_INF).putLong(XFRM_INF).putLong(XFRM_INF).putLong(XFRM_INF);
        b.putLong(0).putLong(0).putLong(0).putLong(0);
        b.put(new byte[32 + 12]);
        b.putInt(0).putInt(reqid).putShort((short) AF_INET).put((byte) (tunnel ? 1 : 0)).put((byte) replay).put((byte) 0);
        b.position(16 + USERSA_INFO);
        if (aead != null) {
            attr(b, XFRMA_ALG_AEAD, name(aead), ints(encKey.length * 8, icvBits), encKey);
        }
        if (cipher != null) {
            attr(b, XFRMA_ALG_CRYPT, name(cipher), ints(encKey.length * 8), encKey);
        }
        if (auth != null) {
            attr(b, XFRMA_ALG_AUTH_TRUNC, name(auth), ints(authKey.length * 8, icvBits), authKey);
        }
        if (offloadIf != 0) {
            // struct xfrm_user_offload is 8 bytes (int ifindex, u8 flags, 3 bytes padding): nla_len 12
            attr(b, XFRMA_OFFLOAD_DEV, ints(offloadIf), new byte[]{(byte) (inbound ? XFRM_OFFLOAD_INBOUND : 0), 0, 0, 0});
        }
        int len = b.position();
        b.putInt(0, len).putShort(4, (short) XFRM_MSG_NEWSA).putShort(6, (short) (NLM_F_REQUEST | NLM_F_ACK)).putInt(8, seq).putInt(12, 0);
        return Arrays.copyOf(b.array(), len);
    }

    private static byte[] name(String n) {
        return Arrays.copyOf(n.getBytes(StandardCharsets.US_ASCII), 64);
    }

    private static byte[] ints(int... v) {
        ByteBuffer b = ByteBuffer.allocate(v.length * 4).order(ByteOrder.nativeOrder());
        for (int x : v) {
            b.putInt(x);
        }
        return b.array();
    }

    private static void attr(ByteBuffer b, int type, byte[]... parts) {
        int len = 4;
        for (byte[] p : parts) {
            len += p.length;
        }
        b.putShort((short) len).putShort((short) type);
        for (byte[] p : parts) {
            b.put(p);
        }
        while (b.position() % 4 != 0) {
            b.put((byte) 0);
        }
    }

    /** What {@link #parse} reads back from an XFRM_MSG_NEWSA message. */
    public record Parsed(int dst, int spi, int proto, int src, int reqid, int family, int mode, int replay,
                         String aead, int keyBits, int icvBits, int offloadIf, int offloadFlags) {
    }

    /** Parses a NEWSA message (the symmetric of {@link #encodeNewSa}); throws on a wrong length. */
    public static Parsed parse(byte[] msg) {
        ByteBuffer b = ByteBuffer.wrap(msg).order(ByteOrder.nativeOrder());
        int len = b.getInt(0);
        if (len != msg.length || len < 16 + USERSA_INFO || b.getShort(4) != XFRM_MSG_NEWSA) {
            throw new IllegalArgumentException("not an XFRM_MSG_NEWSA of " + msg.length + " bytes");
        }
        int base = 16;
        int dst = ByteBuffer.wrap(msg, base + 56, 4).getInt();
        int spi = ByteBuffer.wrap(msg, base + 72, 4).getInt();
        int proto = msg[base + 76] & 0xff;
        int src = ByteBuffer.wrap(msg, base + 80, 4).getInt();
        int reqid = b.getInt(base + 208);
        int family = b.getShort(base + 212);
        int mode = msg[base + 214];
        int replay = msg[base + 215] & 0xff;
        String aead = null;
        int keyBits = 0;
        int icvBits = 0;
        int offIf = 0;
        int offFlags = 0;
        int at = base + USERSA_INFO;
        while (at + 4 <= len) {
            int alen = b.getShort(at) & 0xffff;
            int type = b.getShort(at + 2) & 0xffff;
            if (alen < 4 || at + alen > len) {
                throw new IllegalArgumentException("attribute at " + at + " has a bad length " + alen);
            }
            if (type == XFRMA_ALG_AEAD) {
                aead = new String(msg, at + 4, 64, StandardCharsets.US_ASCII).replace("\0", "");
                keyBits = b.getInt(at + 68);
                icvBits = b.getInt(at + 72);
            } else if (type == XFRMA_OFFLOAD_DEV) {
                offIf = b.getInt(at + 4);
                offFlags = msg[at + 8] & 0xff;
            }
            at += (alen + 3) & ~3;
        }
        return new Parsed(dst, spi, proto, src, reqid, family, mode, replay, aead, keyBits, icvBits, offIf, offFlags);
    }
}
