package io.argate.enco.nic;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A network interface's offload features through the SIOCETHTOOL ioctl (linux/ethtool.h):
 * ETHTOOL_GSSET_INFO for the number of feature names, ETHTOOL_GSTRINGS for the names
 * (32 bytes each), ETHTOOL_GFEATURES for the available/active bit words. What {@code ethtool -k}
 * prints, without needing the ethtool program.
 */
final class EthtoolFeatures {
    private static final long SIOCETHTOOL = 0x8946;
    private static final int ETHTOOL_GSTRINGS = 0x1b;
    private static final int ETHTOOL_GSSET_INFO = 0x37;
    private static final int ETHTOOL_GFEATURES = 0x3a;
    private static final int ETH_SS_FEATURES = 4;

    /** One feature: whether the device can do it at all, and whether it is on. */
    record Feature(boolean available, boolean active) {
    }

    private EthtoolFeatures() {
    }

    /** Features of {@code ifname}; throws LastErrorException when the ioctl is refused. */
    static Map<String, Feature> of(String ifname) throws LastErrorException {
        NetLib c = NetLib.INSTANCE;
        int fd = c.socket(2, 2, 0);
        try {
            Memory info = new Memory(8 + 8 + 4);
            info.clear();
            info.setInt(0, ETHTOOL_GSSET_INFO);
            info.setLong(8, 1L << ETH_SS_FEATURES);
            ioctl(fd, ifname, info);
            int count = info.getInt(16);
            Memory strings = new Memory(12 + 32L * count);
            strings.clear();
            strings.setInt(0, ETHTOOL_GSTRINGS);
            strings.setInt(4, ETH_SS_FEATURES);
            strings.setInt(8, count);
            ioctl(fd, ifname, strings);
            int blocks = (count + 31) / 32;
            Memory feats = new Memory(8 + 16L * blocks);
            feats.clear();
            feats.setInt(0, ETHTOOL_GFEATURES);
            feats.setInt(4, blocks);
            ioctl(fd, ifname, feats);
            Map<String, Feature> out = new LinkedHashMap<>();
            for (int i = 0; i < count; i++) {
                byte[] raw = strings.getByteArray(12 + 32L * i, 32);
                int end = 0;
                while (end < 32 && raw[end] != 0) {
                    end++;
                }
                String name = new String(raw, 0, end, StandardCharsets.US_ASCII);
                long block = 8 + 16L * (i / 32);
                int bit = 1 << (i % 32);
                out.put(name, new Feature((feats.getInt(block) & bit) != 0, (feats.getInt(block + 8) & bit) != 0));
            }
            return out;
        } finally {
            c.close(fd);
        }
    }

    private static void ioctl(int fd, String ifname, Memory data) throws LastErrorException {
        Memory ifr = new Memory(40);
        ifr.clear();
        byte[] n = ifname.getBytes(StandardCharsets.US_ASCII);
        ifr.write(0, n, 0, Math.min(15, n.length));
        ifr.setPointer(16, data);
        NetLib.INSTANCE.ioctl(fd, SIOCETHTOOL, ifr);
    }
}
