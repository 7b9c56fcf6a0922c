package io.argate.enco.soft;

import io.argate.enco.spi.AeadChannel;
import io.argate.enco.spi.Algorithm;
import io.argate.enco.spi.Capability;
import io.argate.enco.comp.Deflate;
import io.argate.enco.comp.Lzs;
import io.argate.enco.spi.CipherChannel;
import io.argate.enco.spi.CompressionChannel;
import io.argate.enco.spi.DhGroup;
import io.argate.enco.spi.DriverFailure;
import io.argate.enco.spi.EncoDriver;
import io.argate.enco.spi.HashEngine;
import io.argate.enco.spi.MacChannel;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;

/**
 * The software driver: always present, the fallback for every other driver. Cost hints are the
 * ANCHORS.md figures turned into nanoseconds per 1400-byte packet.
 */
public final class SoftwareDriver implements EncoDriver {
    public static final String NAME = "software";
    private final SecureRandom random = new SecureRandom();

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<Capability> capabilities() {
        List<Capability> out = new ArrayList<>();
        for (Algorithm a : Algorithm.values()) {
            int cost = switch (a) {
                case AES_GCM_128, AES_GCM_192, AES_GCM_256 -> 700;
                case AES_CBC_128, AES_CBC_192, AES_CBC_256 -> 1100;
                case TDES_CBC -> 55_000;
                case DES_CBC -> 21_000;
                case NULL_CIPHER -> 1;
                default -> 1000;
            };
            out.add(new Capability(a, false, cost));
        }
        return out;
    }

    @Override
    public CipherChannel cipher(Algorithm a, byte[] key) throws DriverFailure {
        return SoftwareCipher.open(a, key);
    }

    @Override
    public AeadChannel aead(Algorithm a, byte[] key, int tagLength) throws DriverFailure {
        if (a != Algorithm.AES_GCM_128 && a != Algorithm.AES_GCM_192 && a != Algorithm.AES_GCM_256) {
            throw new UnsupportedOperationException("software has no AEAD " + a);
        }
        return new SoftwareGcm(a, key, tagLength);
    }

    @Override
    public MacChannel mac(Algorithm a, byte[] key) throws DriverFailure {
        return new SoftwareMac(a, key);
    }

    @Override
    public HashEngine hash(Algorithm a) throws DriverFailure {
        String name = switch (a) {
            case MD5 -> "MD5";
            case SHA1 -> "SHA-1";
            case SHA256 -> "SHA-256";
            case SHA384 -> "SHA-384";
            case SHA512 -> "SHA-512";
            default -> throw new UnsupportedOperationException("software has no hash " + a);
        };
        MessageDigest md;
        try {
            md = MessageDigest.getInstance(name);
        } catch (GeneralSecurityException e) {
            throw new DriverFailure("JDK " + name + " unavailable", e);
        }
        return new HashEngine() {
            public Algorithm algorithm() {
                return a;
            }

            public byte[] digest(byte[]... parts) {
                for (byte[] p : parts) {
                    md.update(p);
                }
                return md.digest();
            }
        };
    }

    @Override
    public DhGroup dh(Algorithm a) {
        return new SoftwareDh(a, random);
    }

    @Override
    public CompressionChannel compression(Algorithm a) {
        return switch (a) {
            case LZS -> new CompressionChannel() {
                private final Lzs lzs = new Lzs();

                public Algorithm algorithm() {
                    return a;
                }

                public CompressionChannel fork() {
                    return compression(a);
                }

                public int compress(byte[] in, int off, int len, byte[] out, int outOff, int outMax) {
                    return lzs.compress(in, off, len, out, outOff, outMax);
                }

                public int decompress(byte[] in, int off, int len, byte[] out, int outOff, int outMax) throws DriverFailure {
                    try {
                        return Lzs.decompress(in, off, len, out, outOff, outMax);
                    } catch (Lzs.Malformed e) {
                        throw new DriverFailure("LZS: " + e.getMessage());
                    }
                }
            };
            case DEFLATE -> new CompressionChannel() {
                private final Deflate deflate = new Deflate();

                public Algorithm algorithm() {
                    return a;
                }

                public CompressionChannel fork() {
                    return compression(a);
                }

                public int compress(byte[] in, int off, int len, byte[] out, int outOff, int outMax) {
                    return deflate.compress(in, off, len, out, outOff, outMax);
                }

                public int decompress(byte[] in, int off, int len, byte[] out, int outOff, int outMax) throws DriverFailure {
                    try {
                        return deflate.decompress(in, off, len, out, outOff, outMax);
                    } catch (Lzs.Malformed e) {
                        throw new DriverFailure("DEFLATE: " + e.getMessage());
                    }
                }
            };
            default -> throw new UnsupportedOperationException("software has no compression " + a);
        };
    }

    @Override
    public void random(byte[] out) {
        random.nextBytes(out);
    }
}
