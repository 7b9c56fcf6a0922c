package io.argate.shell.cmd;

/** Whether a keyword takes a value: {@code DYNAMIC}, {@code DYNAMIC=IPSEC} or {@code POLICY=vpn}. */
public enum ValueMode {
    /** A bare keyword (flag): {@code RANDOM}. */
    NONE,
    /** The keyword may stand alone or carry a value: {@code SHOW IPSEC POLICY[=name]}. */
    OPTIONAL,
    /** The keyword must carry a value: {@code INTERFACE=eth0}. */
    REQUIRED
}
