package io.argate.shell.login;

import io.argate.shell.Module;
import io.argate.shell.cmd.CommandSpec;
import io.argate.shell.cmd.CommandTable;
import io.argate.shell.cmd.Privilege;
import io.argate.shell.session.Session;

/** LOGIN (LOGON, LOGI) and LOGOFF (LOGOUT, LO): the runner acts on them after the command. */
public final class LoginModule implements Module {
    @Override
    public String name() {
        return "LOGIN";
    }

    @Override
    public int number() {
        return 38;
    }

    @Override
    public int configOrder() {
        return 21;
    }

    @Override
    public void commands(CommandTable t) {
        t.add(CommandSpec.of("LOGIN").alias("LOGON", "LOGI").privilege(Privilege.USER).quiet()
                .help("Log in as another user").handler(inv -> inv.session().request(Session.Request.LOGIN)));
        t.add(CommandSpec.of("LOGOFF").alias("LOGOUT", "LO").privilege(Privilege.USER).quiet()
                .help("Log off").handler(inv -> inv.session().request(Session.Request.LOGOFF)));
    }
}
