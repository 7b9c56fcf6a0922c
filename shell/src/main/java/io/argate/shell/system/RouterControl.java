package io.argate.shell.system;

/**
 * What the SYSTEM and CONFIG commands ask of the running firmware image: restart in the same
 * process (optionally booting once from another script) and the facts SHOW SYSTEM prints.
 */
public interface RouterControl {

    /** Schedules RESTART ROUTER; {@code oneShotConfig} is the CONFIG= script or null. */
    void restart(String oneShotConfig);

    /** The script the running configuration was loaded from, or null (factory defaults). */
    String currentConfig();

    String version();

    java.nio.file.Path dataDir();

    java.time.Instant bootTime();
}
