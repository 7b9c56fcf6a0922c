package io.argate.shell.system;

import io.argate.shell.cmd.CommandSpec;

import java.util.Locale;

/**
 * Which commands {@code HELP topic} lists: those of the module the topic names ({@code HELP
 * IPSEC}, {@code HELP LOG}), and those whose command words contain the topic's words in order,
 * each typed word a prefix of a command word ({@code HELP SHOW}, {@code HELP IPSEC POLICY},
 * {@code HELP SASPEC}, {@code HELP CREATE IPS POL}).
 */
final class HelpTopic {
    private HelpTopic() {
    }

    static boolean matches(String topic, CommandSpec s) {
        String[] want = topic.toUpperCase(Locale.ROOT).trim().split("\\s+");
        if (want.length == 1 && s.module().equalsIgnoreCase(want[0])) {
            return true;
        }
        String[] words = s.title().toUpperCase(Locale.ROOT).split("\\s+");
        int i = 0;
        for (String w : words) {
            if (i < want.length && w.startsWith(want[i])) {
                i++;
            }
        }
        return i == want.length;
    }
}
