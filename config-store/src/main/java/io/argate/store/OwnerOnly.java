package io.argate.store;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * The data directory holds password hashes, encrypted keys and the boot configuration, so
 * everything in it is readable by its owner only: 0700 directories, 0600 files, whatever the
 * umask. New files and directories are created with these modes; what an older version (or the
 * umask) left wider is narrowed when the store opens. On a file system without POSIX modes
 * there is nothing to set.
 */
public final class OwnerOnly {
    static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");
    static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwx------");

    private OwnerOnly() {
    }

    /** Creation attributes for a new file (empty where POSIX modes do not exist). */
    public static FileAttribute<?>[] fileAttribute(Path where) {
        return posix(where) ? new FileAttribute<?>[]{PosixFilePermissions.asFileAttribute(FILE)} : new FileAttribute<?>[0];
    }

    /** Creates {@code dir} (and missing parents) and makes it owner-only. */
    public static Path directory(Path dir) throws IOException {
        Path existing = dir.toAbsolutePath();
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        boolean posix = existing != null && posix(existing);
        if (posix) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(DIRECTORY));
            Files.setPosixFilePermissions(dir, DIRECTORY);
        } else {
            Files.createDirectories(dir);
        }
        return dir;
    }

    /** Narrows an existing file to owner-only; a missing file is left missing. */
    public static void file(Path file) throws IOException {
        if (Files.isRegularFile(file) && posix(file)) {
            Files.setPosixFilePermissions(file, FILE);
        }
    }

    /** Narrows every regular file directly in {@code dir} whose name starts with {@code prefix}. */
    public static void files(Path dir, String prefix) throws IOException {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, prefix + "*")) {
            for (Path p : entries) {
                file(p);
            }
        }
    }

    private static boolean posix(Path p) {
        return p.getFileSystem().supportedFileAttributeViews().contains("posix");
    }
}
