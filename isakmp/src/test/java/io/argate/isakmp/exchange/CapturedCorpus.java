package io.argate.isakmp.exchange;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The IKEv1 messages captured from strongSwan and Libreswan (test resources ikev1-corpus/, its
 * README says how they were made): one {@link Scenario} per file, its datagrams in the order they
 * crossed, each marked as the peer's or argate's.
 */
final class CapturedCorpus {
    static final List<String> FILES = List.of("strongswan-main-peer-initiates", "strongswan-main-argate-initiates", "strongswan-main-nat",
            "strongswan-aggressive-peer-initiates", "strongswan-aggressive-argate-initiates", "strongswan-xauth-modecfg",
            "libreswan-main-peer-initiates");

    /** One captured datagram; {@code payload} is the UDP payload (on 4500 with the non-ESP marker). */
    record Datagram(boolean fromPeer, int sourcePort, int destinationPort, byte[] payload) {
        /** Where the ISAKMP header starts: after the four-byte non-ESP marker on 4500 (RFC 3948 section 2.2). */
        int offset() {
            return sourcePort == 4500 || destinationPort == 4500 ? 4 : 0;
        }

        int exchangeType() {
            return payload[offset() + 18] & 0xff;
        }

        boolean encrypted() {
            return (payload[offset() + 19] & 1) != 0;
        }

        long cookie(int which) {
            return java.nio.ByteBuffer.wrap(payload, offset() + 8 * which, 8).getLong();
        }
    }

    record Scenario(String name, List<Datagram> datagrams) {
        boolean peerInitiates() {
            return datagrams.get(0).fromPeer();
        }

        boolean aggressive() {
            return datagrams.get(0).exchangeType() == 4;
        }

        int group() {
            return name.startsWith("libreswan") ? 14 : 2;
        }

        /** The Quick Mode PFS group argate's policy asked for in the lab (0: none). */
        int pfs() {
            return name.equals("strongswan-main-argate-initiates") || name.equals("strongswan-aggressive-peer-initiates") || xauth() ? 0 : group();
        }

        boolean xauth() {
            return name.contains("xauth");
        }

        List<Datagram> fromPeer() {
            return datagrams.stream().filter(Datagram::fromPeer).toList();
        }

        /** The captured cookies of the exchange: the first message's initiator cookie and the first non-zero responder cookie. */
        long capturedCookie(int which) {
            for (Datagram d : datagrams) {
                if (d.cookie(which) != 0) {
                    return d.cookie(which);
                }
            }
            return 0;
        }
    }

    static List<Scenario> load() {
        List<Scenario> out = new ArrayList<>();
        for (String f : FILES) {
            out.add(load(f));
        }
        return out;
    }

    static Scenario load(String name) {
        String text;
        try (InputStream in = CapturedCorpus.class.getResourceAsStream("/ikev1-corpus/" + name + ".txt")) {
            if (in == null) {
                throw new IllegalStateException("no corpus file " + name);
            }
            text = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        List<Datagram> ds = new ArrayList<>();
        for (String line : text.lines().toList()) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.trim().split(" ");
            ds.add(new Datagram(f[0].equals("P"), Integer.parseInt(f[1]), Integer.parseInt(f[2]), HexFormat.of().parseHex(f[3])));
        }
        return new Scenario(name, List.copyOf(ds));
    }
}
