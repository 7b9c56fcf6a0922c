package io.argate.shell.system;

import io.argate.shell.config.ScriptRunner;

/**
 * What the SYSTEM and CONFIG commands ask of the running firmware image: restart in the same
 * process (optionally booting once from another script) and the facts SHOW SYSTEM prints.
 */
public interface RouterControl {

    /**
     * RESTART ROUTER: stops the modules, resets the configuration and loads {@code oneShotConfig}
     * (the CONFIG= script) or the boot script; returns what loading did, so the command can say
     * which lines failed.
     */
    ScriptRunner.Outcome restart(String oneShotConfig);

    /** The script the running configuration was loaded from, or null (factory defaults). */
    String currentConfig();

    String version();

    java.nio.file.Path dataDir();

    java.time.Instant bootTime();
}
