package io.argate.shell.user;

import io.argate.shell.SecurityContext;
import io.argate.store.Nvs;

import java.time.Duration;

/**
 * Security mode (fact sheet 1.2): on or off, kept in NVS across restarts, and the security
 * timeout (SET USER SECUREDELAY) that is part of the running configuration.
 */
public final class SecurityMode implements SecurityContext {
    static final String SETTING = "security_mode";
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

    private final Nvs nvs;
    private final UserAuthenticator auth;
    private volatile boolean on;
    private volatile Duration timeout = DEFAULT_TIMEOUT;

    public SecurityMode(Nvs nvs, UserAuthenticator auth) {
        this.nvs = nvs;
        this.auth = auth;
        this.on = "on".equals(nvs.setting(SETTING).orElse("off"));
    }

    @Override
    public boolean securityMode() {
        return on;
    }

    void set(boolean enabled) {
        nvs.putSetting(SETTING, enabled ? "on" : "off");
        this.on = enabled;
    }

    @Override
    public Duration securityTimeout() {
        return timeout;
    }

    void securityTimeout(Duration d) {
        this.timeout = d;
    }

    @Override
    public boolean checkPassword(String user, String password) {
        return auth.verify(user, password);
    }
}
