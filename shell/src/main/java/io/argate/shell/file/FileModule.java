package io.argate.shell.file;

import io.argate.shell.Module;
import io.argate.shell.cmd.CommandException;
import io.argate.shell.cmd.CommandSpec;
import io.argate.shell.cmd.CommandTable;
import io.argate.shell.cmd.Invocation;
import io.argate.shell.cmd.Values;
import io.argate.shell.msg.Kind;
import io.argate.shell.msg.Message;
import io.argate.shell.msg.MessageDef;
import io.argate.store.EventLog;
import io.argate.store.Flash;
import io.argate.store.FlashFile;
import io.argate.store.Severity;
import io.argate.store.StoreException;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/** The FILE module: SHOW FILE[=name], DELETE FILE, RENAME FILE (fact sheet 1.5). */
public final class FileModule implements Module {
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("dd-MMM-yyyy HH:mm:ss", Locale.ENGLISH)
            .withZone(ZoneId.systemDefault());

    /** Every message of the FILE module (module 35). */
    public enum FileMessages implements MessageDef {
        FAILED(Kind.ERROR, 1, "%s"),
        DELETED(Kind.INFO, 2, "File %s has been deleted"),
        RENAMED(Kind.INFO, 3, "File %s has been renamed %s"),
        BINARY(Kind.ERROR, 4, "File %s is not a text file (%d bytes); it cannot be shown"),
        SECURE(Kind.ERROR, 5, "File %s is %s; in security mode only a SECURITY OFFICER may change or delete it");

        private final Message message;

        FileMessages(Kind kind, int number, String text) {
            this.message = new Message(kind, 35, number, text);
        }

        @Override
        public Message message() {
            return message;
        }
    }

    private final Flash flash;
    private final EventLog log;
    private final SecureFiles secure;

    public FileModule(Flash flash, EventLog log, SecureFiles secure) {
        this.flash = flash;
        this.log = log;
        this.secure = secure;
    }

    @Override
    public String name() {
        return "FILE";
    }

    @Override
    public int number() {
        return 35;
    }

    @Override
    public int configOrder() {
        return 31;
    }

    @Override
    public void commands(CommandTable t) {
        t.add(CommandSpec.of("SHOW FILE").optionalValue(Values.text(1, 24)).help("List files on flash, or show one").handler(this::show));
        t.add(CommandSpec.of("DELETE FILE").value(Values.text(1, 24)).help("Delete a file from flash").handler(this::delete));
        t.add(CommandSpec.of("RENAME FILE").value(Values.text(1, 24)).required("TO", Values.text(1, 24), "the new name")
                .help("Rename a file on flash").handler(this::rename));
    }

    private void show(Invocation inv) throws CommandException {
        if (inv.hasValue("FILE")) {
            String name = inv.string("FILE");
            byte[] content;
            try {
                content = flash.read(name);
            } catch (StoreException e) {
                throw new CommandException(FileMessages.FAILED, e.getMessage());
            }
            try {
                String text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .decode(java.nio.ByteBuffer.wrap(content)).toString();
                if (text.chars().anyMatch(c -> c < 32 && c != '\n' && c != '\r' && c != '\t')) {
                    throw new CommandException(FileMessages.BINARY, name, content.length);
                }
                inv.out().print(text.endsWith("\n") ? text.substring(0, text.length() - 1) : text);
            } catch (CharacterCodingException e) {
                throw new CommandException(FileMessages.BINARY, name, content.length);
            }
            return;
        }
        List<FlashFile> files = flash.list();
        inv.println("");
        inv.println(String.format("%-20s %-7s %10s  %-20s %5s", "Filename", "Device", "Size", "Created", "Locks"));
        inv.println("--------------------------------------------------------------------------------");
        long total = 0;
        for (FlashFile f : files) {
            total += f.size();
            inv.println(String.format("%-20s %-7s %10d  %-20s %5d", f.longName() != null ? f.longName() : f.name(), "flash",
                    f.size(), WHEN.format(f.modified()), 0));
        }
        inv.println("--------------------------------------------------------------------------------");
        inv.println(files.size() + " files, " + total + " bytes");
    }

    private void delete(Invocation inv) throws CommandException {
        String name = inv.string("FILE");
        secure.checkChange(name, inv.session().privilege());
        try {
            flash.delete(name);
        } catch (StoreException e) {
            throw new CommandException(FileMessages.FAILED, e.getMessage());
        }
        log.log(Severity.INFO, "FILE", "FILE", "DELETE", "File " + name + " deleted by " + inv.session().user());
        inv.say(FileMessages.DELETED, name);
    }

    private void rename(Invocation inv) throws CommandException {
        String from = inv.string("FILE");
        String to = inv.string("TO");
        secure.checkChange(from, inv.session().privilege());
        secure.checkChange(to, inv.session().privilege());
        try {
            flash.rename(from, to);
        } catch (StoreException e) {
            throw new CommandException(FileMessages.FAILED, e.getMessage());
        }
        inv.say(FileMessages.RENAMED, from, to);
    }
}
