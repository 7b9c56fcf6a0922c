package io.argate.shell.cmd;

import java.util.ArrayList;
import java.util.List;

/**
 * Collects the commands of one module. The shell merges every module's table into one grammar
 * tree; adding a command in a later module is a table entry plus a handler.
 */
public final class CommandTable {
    private final String module;
    private final List<CommandSpec> commands = new ArrayList<>();

    public CommandTable(String module) {
        this.module = module;
    }

    public CommandTable add(CommandSpec spec) {
        if (spec.handler() == null) {
            throw new IllegalArgumentException(spec + ": no handler");
        }
        commands.add(spec.module(module));
        return this;
    }

    public String module() {
        return module;
    }

    public List<CommandSpec> commands() {
        return List.copyOf(commands);
    }
}
