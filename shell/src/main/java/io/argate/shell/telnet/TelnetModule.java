package io.argate.shell.telnet;

import io.argate.shell.Module;
import io.argate.shell.cmd.CommandSpec;
import io.argate.shell.cmd.CommandTable;
import io.argate.shell.cmd.Privilege;

/** The TELNET module: SHOW TELNET, the telnet server's connections, limits and counters. */
public final class TelnetModule implements Module {
    private final TelnetCounters counters = new TelnetCounters();

    /** Shared with the {@link TelnetServer} the router starts. */
    public TelnetCounters counters() {
        return counters;
    }

    @Override
    public String name() {
        return "TELNET";
    }

    @Override
    public int number() {
        return 42;
    }

    @Override
    public int configOrder() {
        return 25;
    }

    @Override
    public void commands(CommandTable t) {
        t.add(CommandSpec.of("SHOW TELNET").privilege(Privilege.USER).help("Show the telnet server and its counters")
                .handler(inv -> {
                    inv.println("");
                    counters.lines().forEach(inv::println);
                }));
    }
}
