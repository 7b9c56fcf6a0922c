package io.argate.shell.config;

import io.argate.shell.Module;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Writes the running configuration as a command script: a one-line header (no date, so that
 * writing the same configuration twice gives the same bytes), then each module in its fixed
 * order under a three-line comment header, its command lines, and a blank line. Modules with
 * nothing to say are left out.
 */
public final class ConfigScript {
    private final List<Module> modules;
    private final String version;

    public ConfigScript(List<Module> modules, String version) {
        this.modules = modules.stream().sorted(Comparator.comparingInt(Module::configOrder)).toList();
        this.version = version;
    }

    /** The whole script, or one module's section when {@code module} is not null. */
    public String render(String module) {
        StringBuilder out = new StringBuilder();
        if (module == null) {
            out.append("# argate ").append(version).append(" configuration\n");
        }
        for (Module m : modules) {
            if (module != null && !m.name().equalsIgnoreCase(module)) {
                continue;
            }
            List<String> lines = new ArrayList<>();
            m.writeConfig(lines::add);
            if (lines.isEmpty()) {
                continue;
            }
            out.append("#\n# ").append(m.configTitle()).append("\n#\n");
            for (String l : lines) {
                out.append(l).append('\n');
            }
            out.append('\n');
        }
        return out.toString();
    }

    /** Module names that SHOW CONFIG DYNAMIC=module accepts. */
    public List<String> moduleNames() {
        return modules.stream().map(m -> m.name().toUpperCase(Locale.ROOT)).toList();
    }
}
