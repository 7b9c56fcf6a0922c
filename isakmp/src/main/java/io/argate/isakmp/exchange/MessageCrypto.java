package io.argate.isakmp.exchange;

import io.argate.isakmp.crypto.Phase1Cipher;
import io.argate.isakmp.wire.IsakmpHeader;
import io.argate.isakmp.wire.Message;
import io.argate.isakmp.wire.Payload;
import io.argate.isakmp.wire.PayloadChain;
import io.argate.isakmp.wire.PayloadType;

import java.util.Arrays;
import java.util.List;

/**
 * Encryption of ISAKMP message bodies (RFC 2409 section 5.3 and appendix B): the payload chain
 * padded with zeros to whole cipher blocks, CBC under SKEYID_e's key with the exchange's current
 * IV; the next IV is the last cipher block of this message.
 */
final class MessageCrypto {
    private MessageCrypto() {
    }

    /** The framed message and the IV that follows it. */
    record Sealed(byte[] message, byte[] nextIv) {
    }

    static Sealed seal(IsakmpHeader h, List<? extends Payload> payloads, Phase1Cipher cipher, byte[] key, byte[] iv) {
        byte[] plain = PayloadChain.encode(payloads);
        int bs = cipher.blockSize();
        byte[] padded = Arrays.copyOf(plain, (plain.length + bs - 1) / bs * bs);
        byte[] ct = cipher.encrypt(key, iv, padded);
        IsakmpHeader hh = h.withNextPayload(payloads.isEmpty() ? PayloadType.NONE : payloads.get(0).type());
        return new Sealed(Message.frame(hh, ct), Arrays.copyOfRange(ct, ct.length - bs, ct.length));
    }

    /** The decrypted body and the IV that follows this message, or null when the body is not whole blocks. */
    static byte[][] open(byte[] message, Phase1Cipher cipher, byte[] key, byte[] iv) {
        int n = message.length - IsakmpHeader.LENGTH;
        int bs = cipher.blockSize();
        if (n <= 0 || n % bs != 0) {
            return null;
        }
        byte[] ct = Arrays.copyOfRange(message, IsakmpHeader.LENGTH, message.length);
        return new byte[][]{cipher.decrypt(key, iv, ct), Arrays.copyOfRange(ct, n - bs, n)};
    }
}
