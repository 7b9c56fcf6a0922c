package io.argate.shell.file;

import io.argate.shell.SecurityContext;
import io.argate.shell.cmd.CommandException;
import io.argate.shell.cmd.Privilege;
import io.argate.store.Flash;
import io.argate.store.FlashName;
import io.argate.store.StoreException;

import java.util.Map;
import java.util.function.Supplier;

/**
 * The flash files that hold security configuration, and so follow the Security Officer's
 * privilege in security mode (fact sheet 1.2): the boot script, which only SET CONFIG (a
 * security command) chooses, and the key and PKI files (fact sheet 1.5: KEY, CER, CRL, CSR).
 * Otherwise a Manager could delete or replace what the Security Officer set.
 */
public final class SecureFiles {
    /** Extensions of security-relevant files, with what the error calls them. */
    private static final Map<String, String> KINDS = Map.of(
            "key", "a key file", "cer", "a certificate", "crl", "a certificate revocation list", "csr", "a certificate request");

    private final Flash flash;
    private final SecurityContext security;
    private final Supplier<String> bootScript;

    public SecureFiles(Flash flash, SecurityContext security, Supplier<String> bootScript) {
        this.flash = flash;
        this.security = security;
        this.bootScript = bootScript;
    }

    /** What the file is when it is security-relevant ("the boot script", "a key file"), else null. */
    public String kind(String name) {
        String boot = bootScript.get();
        if (boot != null && flash.sameFile(name, boot)) {
            return "the boot script";
        }
        try {
            return KINDS.get(FlashName.parse(name).ext());
        } catch (StoreException invalid) {
            return null;
        }
    }

    /**
     * Refuses a change (write, delete, rename from or to) of a security-relevant file in
     * security mode unless {@code who} is a Security Officer; in normal mode a Manager has the
     * Security Officer's rights (fact sheet 1.1).
     */
    public void checkChange(String name, Privilege who) throws CommandException {
        if (!security.securityMode() || who == Privilege.SECURITY_OFFICER) {
            return;
        }
        String kind = kind(name);
        if (kind != null) {
            throw new CommandException(FileModule.FileMessages.SECURE, name, kind);
        }
    }
}
