package io.argate.ipsec.config;

import io.argate.ipsec.spd.CompiledSpd;
import io.argate.ipsec.spd.IpsecPolicy;
import io.argate.ipsec.spec.BundleSpecification;
import io.argate.ipsec.spec.SaSpecification;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The IPsec configuration as the data path sees it: one immutable value, published by a single
 * volatile write when the control plane commits a change (DESIGN.md section 5), so a receive
 * thread reads a consistent SPD, policy set and module switch without locks.
 *
 * @param policies by lower-case name
 */
public record IpsecSnapshot(boolean enabled, int udpPort, CompiledSpd<IpsecPolicy> spd, Map<String, IpsecPolicy> policies,
                            Map<Integer, BundleSpecification> bundles, List<SaSpecification> specs) {
    public static final IpsecSnapshot EMPTY = new IpsecSnapshot(false, IpsecConfig.DEFAULT_UDP_PORT, CompiledSpd.empty(), Map.of(),
            Map.of(), List.of());

    public Optional<IpsecPolicy> policy(String name) {
        return Optional.ofNullable(policies.get(IpsecConfig.key(name)));
    }

    public Optional<BundleSpecification> bundle(int n) {
        return Optional.ofNullable(bundles.get(n));
    }
}
