package io.argate.firewall.config;

/** An interface's side of a policy ([C:S37]): PRIVATE is protected, PUBLIC faces the Internet. */
public enum InterfaceType {
    PRIVATE, PUBLIC
}
