package io.argate.enco;

import io.argate.enco.board.Ar011Board;
import io.argate.enco.soft.SoftwareDriver;
import io.argate.enco.spi.Algorithm;
import io.argate.enco.spi.Capability;
import io.argate.enco.spi.CipherChannel;
import io.argate.enco.spi.DhGroup;
import io.argate.enco.spi.DriverFailure;
import io.argate.enco.spi.EncoDriver;
import io.argate.enco.spi.MacChannel;
import io.argate.store.EventLog;
import io.argate.store.LogFilter;
import io.argate.store.Nvs;
import org.bouncycastle.crypto.agreement.DHBasicAgreement;
import org.bouncycastle.crypto.agreement.DHStandardGroups;
import org.bouncycastle.crypto.params.DHPrivateKeyParameters;
import org.bouncycastle.crypto.params.DHPublicKeyParameters;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EncoTest {
    static final HexFormat HEX = HexFormat.of();
    @TempDir
    Path dir;
    Nvs nvs;
    EventLog log;
    Ar011Board board;

    @BeforeEach
    void open() {
        nvs = Nvs.open(dir);
        log = new EventLog(nvs, Clock.systemUTC());
        board = new Ar011Board(2, Duration.ofMillis(200));
    }

    @AfterEach
    void close() {
        board.close();
        nvs.close();
    }

    static byte[] rfc3602Case2() {
        byte[] pt = new byte[32];
        for (int i = 0; i < 32; i++) {
            pt[i] = (byte) i;
        }
        return pt;
    }

    static final byte[] KEY = HEX.parseHex("c286696d887c9aa0611bbb3e2025a45a");
    static final byte[] IV = HEX.parseHex("562e17996d093d28ddb3ba695a2e6f58");
    static final String CT = "d296cd94c2cccf8a3a863028b5e1dc0a7586602d253cfff91b8266bea6d61ab1";

    @Test
    void hardwareIsPreferredAndAFailureMovesTheChannelToSoftware() throws Exception {
        Enco enco = new Enco(new SoftwareDriver(), List.of(board), log);
        assertEquals("ar011", enco.driverFor(Algorithm.AES_CBC_128));
        assertEquals("software", enco.driverFor(Algorithm.AES_GCM_128), "the board has no GCM");
        CipherChannel c = enco.cipher("IPSEC", Algorithm.AES_CBC_128, KEY);
        int before = board.operationsCompleted();
        byte[] data = rfc3602Case2();
        c.encrypt(IV, ByteBuffer.wrap(data));
        assertEquals(CT, HEX.formatHex(data));
        assertEquals(before + 1, board.operationsCompleted(), "the board did the work");
        assertEquals("ar011", enco.channels().get(0).driver());

        board.failNext(1);
        data = rfc3602Case2();
        c.encrypt(IV, ByteBuffer.wrap(data));
        assertEquals(CT, HEX.formatHex(data), "the packet still comes out right, in software");
        assertEquals("software", enco.channels().get(0).driver());
        assertTrue(enco.channels().get(0).fellBack());
        assertEquals(1, enco.counters().of("ar011").fallbacks.sum());
        assertTrue(log.query(LogFilter.all().module("ENCO")).stream().anyMatch(e -> e.message().contains("continuing in software")));
        c.decrypt(IV, ByteBuffer.wrap(data));
        assertArrayEquals(rfc3602Case2(), data);
        c.close();
        assertEquals(List.of(), enco.channels());
    }

    @Test
    void aBoardFailingHalfWayThroughAnInPlaceOperationIsRetriedInSoftwareFromTheOriginalBytes() throws Exception {
        // issue 11 item 15: only the position was put back, so software went on from half-encrypted bytes
        Enco enco = new Enco(new SoftwareDriver(), List.of(board), log);
        CipherChannel c = enco.cipher("IPSEC", Algorithm.AES_CBC_128, KEY);
        byte[] packet = new byte[48];
        System.arraycopy(rfc3602Case2(), 0, packet, 8, 32);
        ByteBuffer data = ByteBuffer.wrap(packet, 8, 32);
        board.failHalfWayNext(1);
        c.encrypt(IV, data);
        assertEquals(CT, HEX.formatHex(packet, 8, 40), "the packet comes out right, in software");
        assertEquals(8, data.position());
        assertEquals(40, data.limit());
        assertEquals("0".repeat(32), HEX.formatHex(packet, 0, 8) + HEX.formatHex(packet, 40, 48), "bytes outside the operation are untouched");
        assertEquals("software", enco.channels().get(0).driver());
        assertEquals(1, enco.counters().of("ar011").fallbacks.sum());

        CipherChannel d = enco.cipher("IPSEC", Algorithm.AES_CBC_128, KEY);
        assertEquals("ar011", enco.channels().get(1).driver());
        byte[] ct = HEX.parseHex(CT);
        board.failHalfWayNext(1);
        d.decrypt(IV, ByteBuffer.wrap(ct));
        assertArrayEquals(rfc3602Case2(), ct, "decryption too starts again from the ciphertext");
        assertEquals(2, enco.counters().of("ar011").fallbacks.sum());
    }

    @Test
    void aBoardThatNeverAnswersTimesOutAndFallsBack() throws Exception {
        Enco enco = new Enco(new SoftwareDriver(), List.of(board), log);
        MacChannel m = enco.mac("ISAKMP", Algorithm.HMAC_SHA1_96, HEX.parseHex("0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b"));
        board.hangNext(1);
        byte[] icv = new byte[12];
        m.compute(icv, 0, ByteBuffer.wrap("Hi There".getBytes()));
        // RFC 2202 test case 1, truncated to 96 bits
        assertEquals("b617318655057264e28bc0b6", HEX.formatHex(icv));
        assertEquals(1, enco.counters().of("ar011").fallbacks.sum());
    }

    @Test
    void channelExhaustionOpensOnTheNextDriver() throws Exception {
        Enco enco = new Enco(new SoftwareDriver(), List.of(board), log);
        CipherChannel a = enco.cipher("IPSEC", Algorithm.TDES_CBC, new byte[24]);
        CipherChannel b = enco.cipher("IPSEC", Algorithm.TDES_CBC, new byte[24]);
        CipherChannel c = enco.cipher("IPSEC", Algorithm.TDES_CBC, new byte[24]);
        assertEquals(List.of("ar011", "ar011", "software"), enco.channels().stream().map(ChannelInfo::driver).toList());
        assertEquals(1, enco.counters().of("ar011").exhausted.sum());
        a.close();
        assertEquals(1, board.freeChannels());
        b.close();
        c.close();
    }

    @Test
    void aDriverFailingItsSelfTestIsNotAdmittedForThatAlgorithm() {
        EncoDriver broken = new EncoDriver() {
            public String name() {
                return "broken";
            }

            public List<Capability> capabilities() {
                return List.of(new Capability(Algorithm.AES_CBC_128, true, 1), new Capability(Algorithm.SHA256, true, 1));
            }

            public CipherChannel cipher(Algorithm a, byte[] key) {
                return new CipherChannel() {
                    public Algorithm algorithm() {
                        return a;
                    }

                    public void encrypt(byte[] iv, ByteBuffer data) {
                        data.put(data.position(), (byte) 0);
                    }

                    public void decrypt(byte[] iv, ByteBuffer data) {
                    }
                };
            }

            public io.argate.enco.spi.HashEngine hash(Algorithm a) throws DriverFailure {
                return new SoftwareDriver().hash(a);
            }
        };
        Enco enco = new Enco(new SoftwareDriver(), List.of(broken), log);
        DriverStatus s = enco.drivers().get(1);
        assertTrue(s.refused().get(Algorithm.AES_CBC_128).startsWith("encryption gave"), s.refused().toString());
        assertTrue(s.admitted().containsKey(Algorithm.SHA256));
        assertEquals("software", enco.driverFor(Algorithm.AES_CBC_128), "a refused algorithm stays in software");
        assertEquals("broken", enco.driverFor(Algorithm.SHA256));
    }

    @Test
    void diffieHellmanAgreesWithBouncyCastleOnEveryGroup() throws Exception {
        Enco enco = new Enco(new SoftwareDriver(), List.of(), log);
        var groups = List.of(DHStandardGroups.rfc2409_768, DHStandardGroups.rfc2409_1024, DHStandardGroups.rfc3526_1536,
                DHStandardGroups.rfc3526_2048, DHStandardGroups.rfc3526_3072, DHStandardGroups.rfc3526_4096);
        List<Algorithm> algs = List.of(Algorithm.MODP_768, Algorithm.MODP_1024, Algorithm.MODP_1536, Algorithm.MODP_2048,
                Algorithm.MODP_3072, Algorithm.MODP_4096);
        Random r = new Random(9);
        for (int i = 0; i < algs.size(); i++) {
            DhGroup g = enco.dh(algs.get(i));
            DhGroup.KeyPair mine = g.generate(256);
            BigInteger peerX = new BigInteger(300, r);
            BigInteger peerY = groups.get(i).getG().modPow(peerX, groups.get(i).getP());
            byte[] peerPublic = HEX.parseHex(String.format("%0" + (algs.get(i).outputLength() * 2) + "x", peerY));
            byte[] ours = g.agree(mine, peerPublic);
            DHBasicAgreement bc = new DHBasicAgreement();
            bc.init(new DHPrivateKeyParameters(peerX, groups.get(i)));
            BigInteger theirs = bc.calculateAgreement(new DHPublicKeyParameters(new BigInteger(1, mine.publicValue()), groups.get(i)));
            assertEquals(theirs, new BigInteger(1, ours), algs.get(i).name());
            assertEquals(algs.get(i).outputLength(), ours.length, "left-padded to the prime's length");
        }
    }

    @Test
    void badInputIsRefusedWithAReason() {
        SoftwareDriver d = new SoftwareDriver();
        assertTrue(message(() -> d.cipher(Algorithm.AES_CBC_128, new byte[15])).contains("needs a 16-byte key"));
        assertTrue(message(() -> d.cipher(Algorithm.DES_CBC, new byte[8]).encrypt(new byte[8], ByteBuffer.allocate(7))).contains("whole number"));
        assertTrue(message(() -> d.aead(Algorithm.AES_GCM_128, new byte[16], 10)).contains("8, 12 or 16-byte"));
        DhGroup g = d.dh(Algorithm.MODP_1024);
        assertTrue(message(() -> g.agree(g.generate(200), new byte[127])).contains("needs 128"));
        byte[] pMinus1 = DHStandardGroups.rfc2409_1024.getP().subtract(BigInteger.ONE).toByteArray();
        assertTrue(message(() -> g.agree(g.generate(200), java.util.Arrays.copyOfRange(pMinus1, pMinus1.length - 128, pMinus1.length)))
                .contains("1 < y < p-1"));
        assertTrue(message(() -> g.generate(100)).contains("outside 160"));
    }

    interface Op {
        void run() throws Exception;
    }

    static String message(Op op) {
        try {
            op.run();
            return "no failure";
        } catch (Exception e) {
            return e.getMessage();
        }
    }
}
