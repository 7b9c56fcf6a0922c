package io.argate.isakmp.exchange;

import io.argate.ipsec.config.IpsecConfig;
import io.argate.ipsec.spd.IpsecPolicy;
import io.argate.ipsec.spd.PeerAddress;
import io.argate.ipsec.spd.PolicyAction;
import io.argate.ipsec.spec.KeyManagement;
import io.argate.isakmp.config.IsakmpConfig;
import io.argate.isakmp.config.IsakmpPolicy;
import io.argate.isakmp.sa.SaInstaller;

import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * PRENEGOTIATE on an ISAKMP policy (fact sheet 2.5): the IPsec policies keyed through it are
 * negotiated as soon as the configuration allows (ISAKMP enabled, the policy there) instead of
 * on their first packet, and again as soon as their bundle expires, so traffic never waits for
 * a negotiation. Each policy is started once per configuration; a peer that does not answer is
 * retried by RETRYIKEATTEMPTS, not by every later command.
 */
final class Prenegotiation {
    private final IsakmpConfig config;
    private final IpsecConfig ipsec;
    private final SaInstaller installer;
    private final Consumer<String> initiate;
    /** Policies already started since they became eligible. */
    private final Set<String> started = new HashSet<>();

    Prenegotiation(IsakmpConfig config, IpsecConfig ipsec, SaInstaller installer, Consumer<String> initiate) {
        this.config = config;
        this.ipsec = ipsec;
        this.installer = installer;
        this.initiate = initiate;
    }

    /** After each command: starts every eligible policy not started yet and not keyed. */
    void commit() {
        if (!config.enabled()) {
            started.clear();
            return;
        }
        Set<String> eligible = new HashSet<>();
        for (IpsecPolicy p : ipsec.policies()) {
            if (eligible(p)) {
                eligible.add(p.name());
            }
        }
        started.retainAll(eligible);
        for (IpsecPolicy p : ipsec.policies()) {
            if (eligible.contains(p.name()) && started.add(p.name()) && !installer.sending(p.name())) {
                initiate.accept(p.name());
            }
        }
    }

    /** A bundle of {@code policy} expired: with PRENEGOTIATE its replacement is negotiated now. */
    void expired(String policy) {
        if (config.enabled() && ipsec.policy(policy).filter(this::eligible).isPresent() && !installer.sending(policy)) {
            initiate.accept(policy);
        }
    }

    private boolean eligible(IpsecPolicy p) {
        if (p.action() != PolicyAction.IPSEC || p.keyManagement() != KeyManagement.ISAKMP || p.peer().kind() != PeerAddress.Kind.FIXED) {
            return false;
        }
        Optional<IsakmpPolicy> ip = p.isakmpPolicy() != null ? config.policy(p.isakmpPolicy()) : config.forPeer(p.peer().address());
        return ip.map(IsakmpPolicy::prenegotiate).orElse(false);
    }
}
