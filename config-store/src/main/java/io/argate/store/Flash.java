package io.argate.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The router's flash: a flat file system kept in one host directory ({@code <data>/flash}).
 *
 * <p>Every write is crash-safe (DESIGN.md section 3): the data goes to a temporary file in the
 * same directory, is forced to disk, and is renamed over the target in one atomic step, so a
 * crash at any moment leaves the old or the new file and never a mix. Temporary files a crash
 * left behind are removed when the flash is opened.
 *
 * <p>The directory and its files are owner-only ({@link OwnerOnly}).
 *
 * <p>Long names (9-16 characters before the dot) are stored under an 8.3 alias listed in
 * {@code longname.lfn}. The table is always written before the file it names exists, and an
 * entry whose file is gone is pruned at start-up, so a crash between the two steps never leaves
 * a file without its long name.
 */
public final class Flash {

    /** Temporary files start with a dot, which no flash name can. */
    static final String TEMP_PREFIX = ".tmp-";

    private final Path dir;
    private final LongNameTable longNames;

    /** Opens (creating when missing) the flash kept in {@code dir}. */
    public Flash(Path dir) {
        this.dir = dir;
        try {
            OwnerOnly.directory(dir);
            removeStrayTemps();
            OwnerOnly.files(dir, "");
            Path table = dir.resolve(LongNameTable.FILE_NAME);
            longNames = Files.isRegularFile(table)
                    ? LongNameTable.decode(Files.readAllBytes(table)) : new LongNameTable();
        } catch (IOException e) {
            throw new StoreException("Flash at " + dir + " cannot be opened: " + reason(e), e);
        }
        pruneLongNames();
    }

    /** The canonical (lower case, device-less) form of a file name; throws if it is not valid. */
    public static String canonicalName(String name) {
        return FlashName.parse(name).text();
    }

    /** The host directory behind the flash. */
    public Path directory() {
        return dir;
    }

    /** All files sorted by stored name; temporary files are not listed. */
    public synchronized List<FlashFile> list() {
        List<FlashFile> files = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path p : entries) {
                String stored = p.getFileName().toString();
                if (!FlashName.isStoredForm(stored)) {
                    continue;
                }
                BasicFileAttributes attrs = Files.readAttributes(p, BasicFileAttributes.class);
                if (attrs.isRegularFile()) {
                    files.add(new FlashFile(stored, longNames.longNameOf(stored).orElse(null),
                            attrs.size(), attrs.lastModifiedTime().toInstant()));
                }
            }
        } catch (IOException e) {
            throw new StoreException("Flash cannot be listed: " + reason(e), e);
        }
        files.sort(Comparator.comparing(FlashFile::name));
        return files;
    }

    public synchronized boolean exists(String name) {
        String stored = storedName(FlashName.parse(name));
        return stored != null && Files.isRegularFile(dir.resolve(stored));
    }

    public synchronized byte[] read(String name) {
        FlashName n = FlashName.parse(name);
        String stored = storedName(n);
        if (stored == null) {
            throw missing(n);
        }
        try {
            return Files.readAllBytes(dir.resolve(stored));
        } catch (NoSuchFileException e) {
            throw missing(n);
        } catch (IOException e) {
            throw new StoreException("File " + n + " cannot be read: " + reason(e), e);
        }
    }

    public String readText(String name) {
        return new String(read(name), StandardCharsets.UTF_8);
    }

    /** Creates or replaces a file; the old content stays until the new one is complete on disk. */
    public synchronized void write(String name, byte[] data) {
        FlashName n = FlashName.parse(name);
        refuseReserved(n);
        String stored = storedName(n);
        if (stored == null) {
            stored = LongNameTable.newAlias(n, this::isTaken);
            addLongName(stored, n.text());
        }
        replaceAtomically(stored, data, n);
    }

    public void writeText(String name, String text) {
        write(name, text.getBytes(StandardCharsets.UTF_8));
    }

    public synchronized void delete(String name) {
        FlashName n = FlashName.parse(name);
        refuseReserved(n);
        String stored = existingStoredName(n);
        try {
            Files.delete(dir.resolve(stored));
        } catch (NoSuchFileException e) {
            throw missing(n);
        } catch (IOException e) {
            throw new StoreException("File " + n + " cannot be deleted: " + reason(e), e);
        }
        syncDirectory();
        dropLongName(stored);
    }

    /** Renames a file; refused when a file of the new name exists already. */
    public synchronized void rename(String from, String to) {
        FlashName source = FlashName.parse(from);
        FlashName target = FlashName.parse(to);
        refuseReserved(source);
        refuseReserved(target);
        String sourceStored = existingStoredName(source);
        String targetStored = storedName(target);
        if (targetStored != null && Files.exists(dir.resolve(targetStored))) {
            throw new StoreException("File " + target + " already exists");
        }
        if (targetStored == null) {
            targetStored = LongNameTable.newAlias(target, this::isTaken);
        }
        if (target.isLong()) {
            addLongName(targetStored, target.text());
        }
        try {
            Files.move(dir.resolve(sourceStored), dir.resolve(targetStored), StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new StoreException("File " + source + " cannot be renamed to " + target + ": " + reason(e), e);
        }
        syncDirectory();
        dropLongName(sourceStored);
    }

    /**
     * Records a long name before its file exists (a crash after this leaves only a stale entry,
     * pruned at start). If the table cannot be written the entry is forgotten again, so no file
     * is ever created under an alias the table on disk does not know.
     */
    private void addLongName(String alias, String longName) {
        longNames.put(alias, longName);
        try {
            saveLongNames();
        } catch (StoreException e) {
            longNames.remove(alias);
            throw e;
        }
    }

    /**
     * Forgets the long name of a file that is gone. Best effort: the operation the user asked
     * for has already happened, and a stale entry left on disk is pruned at the next start.
     */
    private void dropLongName(String alias) {
        if (longNames.longNameOf(alias).isPresent()) {
            longNames.remove(alias);
            try {
                saveLongNames();
            } catch (StoreException staleEntryStays) {
                // pruned at the next start; memory is already right
            }
        }
    }

    /**
     * True when the two names are one file: the same name, or a long name and its 8.3 alias
     * ({@code extralongname.cfg} and {@code extral~1.cfg}). Invalid names are no file.
     */
    public synchronized boolean sameFile(String a, String b) {
        FlashName x;
        FlashName y;
        try {
            x = FlashName.parse(a);
            y = FlashName.parse(b);
        } catch (StoreException invalid) {
            return false;
        }
        if (x.text().equals(y.text())) {
            return true;
        }
        String sx = storedName(x);
        return sx != null && sx.equals(storedName(y));
    }

    /** The 8.3 name a file is (or would be) stored under; null for a long name not yet mapped. */
    private String storedName(FlashName n) {
        return n.isLong() ? longNames.aliasOf(n.text()).orElse(null) : n.text();
    }

    private String existingStoredName(FlashName n) {
        String stored = storedName(n);
        if (stored == null || !Files.isRegularFile(dir.resolve(stored))) {
            throw missing(n);
        }
        return stored;
    }

    private boolean isTaken(String alias) {
        return longNames.longNameOf(alias).isPresent() || Files.exists(dir.resolve(alias));
    }

    private static void refuseReserved(FlashName n) {
        if (n.text().equals(LongNameTable.FILE_NAME)) {
            throw new StoreException("File " + LongNameTable.FILE_NAME
                    + " is the long name table; the flash file system maintains it");
        }
    }

    private static StoreException missing(FlashName n) {
        return new StoreException("File " + n + " does not exist");
    }

    private void replaceAtomically(String stored, byte[] data, FlashName shownAs) {
        Path target = dir.resolve(stored);
        Path temp = dir.resolve(TEMP_PREFIX + stored + "-" + Long.toHexString(ThreadLocalRandom.current().nextLong()));
        try {
            try (FileChannel channel = FileChannel.open(temp, Set.of(StandardOpenOption.WRITE, StandardOpenOption.CREATE_NEW),
                    OwnerOnly.fileAttribute(dir))) {
                ByteBuffer buffer = ByteBuffer.wrap(data);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException ignored) {
                // removed at the next start-up instead
            }
            throw new StoreException("File " + shownAs + " cannot be written: " + reason(e), e);
        }
        syncDirectory();
    }

    /**
     * Makes the rename itself durable. POSIX only promises that once the directory is synced;
     * some platforms cannot open a directory, and then the rename is durable on their terms.
     */
    private void syncDirectory() {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | UnsupportedOperationException notSupported) {
            // not possible here; the atomic rename still holds
        }
    }

    private void saveLongNames() {
        FlashName table = FlashName.parse(LongNameTable.FILE_NAME);
        if (longNames.isEmpty()) {
            try {
                Files.deleteIfExists(dir.resolve(LongNameTable.FILE_NAME));
            } catch (IOException e) {
                throw new StoreException("File " + table + " cannot be deleted: " + reason(e), e);
            }
            syncDirectory();
        } else {
            replaceAtomically(LongNameTable.FILE_NAME, longNames.encode(), table);
        }
    }

    private void removeStrayTemps() throws IOException {
        try (DirectoryStream<Path> temps = Files.newDirectoryStream(dir, TEMP_PREFIX + "*")) {
            for (Path temp : temps) {
                Files.deleteIfExists(temp);
            }
        }
    }

    /** Drops table entries whose file is gone (a crash between table and file, or a host delete). */
    private void pruneLongNames() {
        boolean changed = false;
        for (String alias : longNames.aliases()) {
            if (!Files.isRegularFile(dir.resolve(alias))) {
                longNames.remove(alias);
                changed = true;
            }
        }
        if (changed) {
            saveLongNames();
        }
    }

    /** The cause in words, without the host path (the user knows the file by its flash name). */
    private static String reason(IOException e) {
        if (e instanceof FileSystemException fse) {
            if (fse.getReason() != null) {
                return fse.getReason();
            }
            // NIO leaves the reason empty for these and puts only the path in the message
            return switch (e.getClass().getSimpleName()) {
                case "NoSuchFileException" -> "no such file";
                case "AccessDeniedException" -> "access denied";
                case "DirectoryNotEmptyException" -> "a directory is in the way";
                case "FileAlreadyExistsException" -> "already exists";
                default -> e.getClass().getSimpleName();
            };
        }
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }
}
