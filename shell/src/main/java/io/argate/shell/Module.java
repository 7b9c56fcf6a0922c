package io.argate.shell;

import io.argate.shell.cmd.CommandTable;
import io.argate.shell.loop.ControlLoop;

/**
 * The SPI through which a feature module plugs into the router's command language
 * (DESIGN.md section 1): its AR module name, its command table, its section of the running
 * configuration, and lifecycle hooks used at boot and RESTART ROUTER.
 *
 * <p>The image constructs modules with their dependencies (flash, NVS, log, clock, other
 * modules) and registers them with the {@link Router}; a module never looks others up by name.
 */
public interface Module {

    /** AR module name as the user sees it: IP, ENCO, IPSEC, ISAKMP, USER, SYSTEM ... */
    String name();

    /**
     * Two-digit module number used in message codes ({@code Info (181057)}: kind 1, module 81,
     * message 057). Listed with the messages in each module's message enum.
     */
    int number();

    /**
     * Position of this module's section in configuration scripts; lower comes first.
     * The fixed order follows the fact sheet section 1.6: SYSTEM 10, USER 20, FILE/LOG 30,
     * ports/interfaces 40, IP 50, FIREWALL 60, ENCO 70, IPSEC 80, ISAKMP 90.
     */
    int configOrder();

    /** Title of the section header in scripts: {@code # IP configuration}. */
    default String configTitle() {
        return name() + " configuration";
    }

    /** Adds this module's commands to the table. Called once per router instance. */
    void commands(CommandTable table);

    /** Writes this module's part of the running configuration as commands. */
    default void writeConfig(ConfigOut out) {
    }

    /**
     * Returns the running configuration to factory defaults. Called before a boot script runs
     * (at first boot and at every RESTART ROUTER), after {@link #stop()}.
     */
    default void resetConfig() {
    }

    /** Starts the module's runtime (threads, sockets). Called before the boot script runs. */
    default void start() {
    }

    /**
     * Called after the boot script ran, at boot and at every RESTART ROUTER: settings that the
     * reference says take effect "after a restart" become active here.
     */
    default void booted() {
    }

    /**
     * Gives the module the control plane once, when the router is built: its timers and the
     * events its data path raises run there ({@link ControlLoop#every}, {@link ControlLoop#post}).
     */
    default void attach(ControlLoop loop) {
    }

    /**
     * Applies the configuration changes made since the last call to what the data path reads
     * (a compiled SPD, installed SAs): after each command, and once at the end of a script or a
     * boot rather than after each of its lines, so a large script is compiled once. Runs on the
     * control plane.
     */
    default void commit() {
    }

    /** Stops the module's runtime. Called at shutdown and at RESTART ROUTER, in reverse order. */
    default void stop() {
    }
}
