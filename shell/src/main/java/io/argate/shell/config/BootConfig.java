package io.argate.shell.config;

import io.argate.store.Nvs;

/**
 * The boot script setting in NVS (SET CONFIG): {@code boot.cfg} until set, or NONE for factory
 * defaults (fact sheet 1.6).
 */
public final class BootConfig {
    static final String SETTING = "boot_config";
    public static final String DEFAULT = "boot.cfg";
    private static final String NONE = "NONE";

    private final Nvs nvs;

    public BootConfig(Nvs nvs) {
        this.nvs = nvs;
    }

    /** The boot script's name, or null for none. */
    public String name() {
        String v = nvs.setting(SETTING).orElse(DEFAULT);
        return v.equals(NONE) ? null : v;
    }

    public void set(String name) {
        nvs.putSetting(SETTING, name == null ? NONE : name);
    }
}
