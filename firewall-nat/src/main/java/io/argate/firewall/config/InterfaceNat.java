package io.argate.firewall.config;

/**
 * {@code ADD FIREWALL POLICY NAT=type INTERFACE=if GBLINTERFACE=if [IP=ip] [GBLIP=ip[-ip]]}
 * ([C:S38]): translation happens only when a packet moves from INTERFACE to GBLINTERFACE (and its
 * replies back). Static: STANDARD with IP and GBLIP; dynamic: STANDARD with a GBLIP range;
 * ENHANCED: GBLIP, or the GBLINTERFACE's own address when there is none.
 */
public record InterfaceNat(NatType type, String iface, String gblIface, AddressRange ip, AddressRange gblIp) {
    public boolean isStatic() {
        return type == NatType.STANDARD && ip != null;
    }
}
