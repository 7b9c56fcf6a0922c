package io.argate.shell.login;

import io.argate.shell.cmd.Privilege;

/** The command prompt: {@code Manager > }, with the system name in front when one is set. */
public final class Prompt {
    private Prompt() {
    }

    public static String of(String systemName, Privilege p) {
        String level = p.prompt() + " > ";
        return systemName == null || systemName.isEmpty() ? level : systemName + " " + level;
    }
}
