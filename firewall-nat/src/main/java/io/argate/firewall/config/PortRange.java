package io.argate.firewall.config;

/** An inclusive port range ({@code PORT=port[-port]}); {@link #ALL} is 0-65535. */
public record PortRange(int first, int last) {
    public static final PortRange ALL = new PortRange(0, 65535);

    public PortRange {
        if (first < 0 || last > 65535 || first > last) {
            throw new IllegalArgumentException("port range " + first + "-" + last + " is not 0..65535 in order");
        }
    }

    public boolean contains(int port) {
        return port >= first && port <= last;
    }

    public boolean single() {
        return first == last;
    }

    @Override
    public String toString() {
        if (this.equals(ALL)) {
            return "ALL";
        }
        return single() ? Integer.toString(first) : first + "-" + last;
    }
}
