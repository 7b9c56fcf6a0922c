package io.argate.ip.port;

import java.util.Map;

/**
 * One line of the platform file: a port, its driver and the driver's options.
 *
 * @param name    port name (vlan1, eth0 ...)
 * @param driver  tun, udp or mem
 * @param options key=value options (dev, netns, mtu, local, remote, link)
 * @param line    line number in the file, for errors
 */
public record PortSpec(String name, String driver, Map<String, String> options, int line) {
}
