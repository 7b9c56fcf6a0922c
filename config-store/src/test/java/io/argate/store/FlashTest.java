package io.argate.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FlashTest {

    @TempDir
    Path data;

    private Flash flash() {
        return new Flash(data.resolve("flash"));
    }

    private static List<String> names(Flash flash) {
        return flash.list().stream().map(FlashFile::name).toList();
    }

    @Test
    void constructionCreatesTheDirectory() {
        Flash flash = flash();
        assertTrue(Files.isDirectory(data.resolve("flash")));
        assertEquals(List.of(), flash.list());
    }

    @Test
    void writeThenReadGivesTheSameBytesAndText() {
        Flash flash = flash();
        flash.writeText("boot.cfg", "set system name=gw1\n");
        assertEquals("set system name=gw1\n", flash.readText("boot.cfg"));
        byte[] binary = {0, 1, (byte) 0xff, 10, 13};
        flash.write("key.key", binary);
        assertArrayEquals(binary, flash.read("KEY.KEY"));
    }

    @Test
    void nameIsCaseInsensitiveAndStoredLowerCase() throws IOException {
        Flash flash = flash();
        flash.writeText("FLASH:Boot.CFG", "x");
        assertTrue(flash.exists("boot.cfg"));
        assertTrue(flash.exists("BOOT.cfg"));
        assertTrue(Files.exists(data.resolve("flash/boot.cfg")));
        assertEquals(List.of("boot.cfg"), names(flash));
        flash.writeText("boot.CFG", "y");
        assertEquals("y", flash.readText("boot.cfg"));
        assertEquals(1, flash.list().size());
    }

    @Test
    void listIsSortedWithSizesAndSkipsTempAndForeignFiles() throws IOException {
        Flash flash = flash();
        flash.writeText("zeta.txt", "12345");
        flash.writeText("alpha.cfg", "1");
        Files.writeString(data.resolve("flash/.tmp-alpha.cfg-99"), "partial");
        Files.writeString(data.resolve("flash/README"), "not a flash name");
        Files.createDirectory(data.resolve("flash/sub.dir"));
        List<FlashFile> files = flash.list();
        assertEquals(List.of("alpha.cfg", "zeta.txt"), files.stream().map(FlashFile::name).toList());
        assertEquals(5, files.get(1).size());
        assertNull(files.get(0).longName());
    }

    @Test
    void strayTempFilesAreRemovedAtConstruction() throws IOException {
        Path dir = data.resolve("flash");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("boot.cfg"), "old");
        Files.writeString(dir.resolve(".tmp-boot.cfg-5f3a"), "half of the new");
        Flash flash = new Flash(dir);
        try (var entries = Files.list(dir)) {
            assertEquals(List.of(dir.resolve("boot.cfg")), entries.toList());
        }
        assertEquals("old", flash.readText("boot.cfg"));
    }

    @Test
    void readingOrDeletingAMissingFileSaysItDoesNotExist() {
        Flash flash = flash();
        assertEquals("File boot.cfg does not exist",
                assertThrows(StoreException.class, () -> flash.read("BOOT.CFG")).getMessage());
        assertEquals("File boot.cfg does not exist",
                assertThrows(StoreException.class, () -> flash.delete("boot.cfg")).getMessage());
        assertEquals("File extralongfilenam.cfg does not exist",
                assertThrows(StoreException.class, () -> flash.read("extralongfilenam.cfg")).getMessage());
        assertFalse(flash.exists("boot.cfg"));
    }

    @Test
    void invalidNamesAreRefusedByEveryOperation() {
        Flash flash = flash();
        assertThrows(StoreException.class, () -> flash.writeText("bad name.cfg", "x"));
        assertThrows(StoreException.class, () -> flash.read("toolongnameforflash.cfg"));
        assertThrows(StoreException.class, () -> flash.exists("boot.conf"));
        assertThrows(StoreException.class, () -> flash.delete("usb:boot.cfg"));
        assertEquals(List.of(), flash.list());
    }

    @Test
    void deleteRemovesTheFile() {
        Flash flash = flash();
        flash.writeText("old.cfg", "x");
        flash.delete("OLD.CFG");
        assertFalse(flash.exists("old.cfg"));
        assertEquals(List.of(), flash.list());
    }

    @Test
    void renameMovesContentAndRefusesAnExistingTarget() {
        Flash flash = flash();
        flash.writeText("a.cfg", "A");
        flash.writeText("b.cfg", "B");
        assertEquals("File b.cfg already exists",
                assertThrows(StoreException.class, () -> flash.rename("a.cfg", "B.CFG")).getMessage());
        assertEquals("B", flash.readText("b.cfg"));
        flash.rename("a.cfg", "c.cfg");
        assertEquals(List.of("b.cfg", "c.cfg"), names(flash));
        assertEquals("A", flash.readText("c.cfg"));
        assertEquals("File a.cfg does not exist",
                assertThrows(StoreException.class, () -> flash.rename("a.cfg", "d.cfg")).getMessage());
        assertEquals("File c.cfg already exists",
                assertThrows(StoreException.class, () -> flash.rename("c.cfg", "C.cfg")).getMessage());
    }

    @Test
    void aLongNameAndItsAliasAreOneFile() throws IOException {
        Flash flash = flash();
        flash.writeText("ExtraLongFileNam.cfg", "long");
        assertTrue(flash.sameFile("extralongfilenam.cfg", "EXTRAL~1.CFG"));
        assertTrue(flash.sameFile("flash:boot.cfg", "BOOT.CFG"));
        assertFalse(flash.sameFile("boot.cfg", "boot.key"));
        assertFalse(flash.sameFile("otherlongname.cfg", "extral~1.cfg"));
        assertFalse(flash.sameFile("no-extension", "no-extension"));
    }

    @Test
    void longNameIsStoredAsAliasAndBothNamesWork() throws IOException {
        Flash flash = flash();
        flash.writeText("ExtraLongFileNam.cfg", "long");
        assertEquals(List.of("extral~1.cfg", "longname.lfn"), names(flash));
        FlashFile file = flash.list().get(0);
        assertEquals("extralongfilenam.cfg", file.longName());
        assertEquals("long", flash.readText("extralongfilenam.cfg"));
        assertEquals("long", flash.readText("EXTRAL~1.CFG"));
        flash.writeText("extral~1.cfg", "via alias");
        assertEquals("via alias", flash.readText("extralongfilenam.cfg"));
        assertEquals("extral~1.cfg extralongfilenam.cfg\n",
                Files.readString(data.resolve("flash/longname.lfn")));
    }

    @Test
    void longNamesWithTheSamePrefixGetSuccessiveAliases() {
        Flash flash = flash();
        for (int i = 0; i < 11; i++) {
            flash.writeText("extralongname" + (char) ('a' + i) + ".cfg", "n" + i);
        }
        List<String> stored = names(flash);
        assertTrue(stored.contains("extral~9.cfg"), stored.toString());
        assertTrue(stored.contains("extra~10.cfg"), stored.toString());
        assertTrue(stored.contains("extra~11.cfg"), stored.toString());
        assertEquals("n10", flash.readText("extralongnamek.cfg"));
        assertEquals("n10", flash.readText("extra~11.cfg"));
    }

    @Test
    void longNameMappingSurvivesReopen() {
        flash().writeText("extralongfilenam.cfg", "kept");
        Flash reopened = flash();
        assertEquals("kept", reopened.readText("extralongfilenam.cfg"));
        assertEquals("extralongfilenam.cfg", reopened.list().get(0).longName());
    }

    @Test
    void deletingALongNamedFileByEitherNameDropsItsMapping() {
        Flash flash = flash();
        flash.writeText("extralongfilenam.cfg", "1");
        flash.writeText("anotherlongname.scp", "2");
        flash.delete("extral~1.cfg");
        assertFalse(flash.exists("extralongfilenam.cfg"));
        flash.delete("anotherlongname.scp");
        assertEquals(List.of(), flash.list(), "the table goes when it has no entries left");
    }

    @Test
    void renameBetweenShortAndLongNames() {
        Flash flash = flash();
        flash.writeText("short.cfg", "s");
        flash.rename("short.cfg", "nowitisverylong.cfg");
        assertEquals("s", flash.readText("nowitisverylong.cfg"));
        assertEquals("s", flash.readText("nowiti~1.cfg"));
        assertFalse(flash.exists("short.cfg"));
        flash.rename("nowiti~1.cfg", "anotherlongone.cfg");
        assertFalse(flash.exists("nowitisverylong.cfg"));
        assertEquals("s", flash.readText("anotherlongone.cfg"));
        flash.rename("anotherlongone.cfg", "back.cfg");
        assertEquals(List.of("back.cfg"), names(flash));
        assertEquals("s", flash.readText("back.cfg"));
    }

    @Test
    void renameToAnExistingLongNameIsRefused() {
        Flash flash = flash();
        flash.writeText("extralongfilenam.cfg", "long");
        flash.writeText("plain.cfg", "plain");
        assertEquals("File extralongfilenam.cfg already exists", assertThrows(StoreException.class,
                () -> flash.rename("plain.cfg", "ExtraLongFileNam.cfg")).getMessage());
        assertEquals("File extral~1.cfg already exists", assertThrows(StoreException.class,
                () -> flash.rename("plain.cfg", "extral~1.cfg")).getMessage());
    }

    @Test
    void theLongNameTableCannotBeChangedByHand() {
        Flash flash = flash();
        flash.writeText("extralongfilenam.cfg", "1");
        String message = assertThrows(StoreException.class, () -> flash.delete("longname.lfn")).getMessage();
        assertTrue(message.contains("long name table"), message);
        assertThrows(StoreException.class, () -> flash.writeText("LONGNAME.LFN", "x"));
        assertThrows(StoreException.class, () -> flash.rename("longname.lfn", "x.lfn"));
        assertThrows(StoreException.class, () -> flash.rename("extralongfilenam.cfg", "longname.lfn"));
        assertTrue(flash.readText("longname.lfn").contains("extralongfilenam.cfg"));
    }

    @Test
    void tableEntryWithoutItsFileIsPrunedAtStart() throws IOException {
        Flash flash = flash();
        flash.writeText("extralongfilenam.cfg", "1");
        flash.writeText("anotherlongname.cfg", "2");
        // what a crash between writing the table and writing the file leaves behind
        Files.delete(data.resolve("flash/extral~1.cfg"));
        Flash reopened = flash();
        assertFalse(reopened.exists("extralongfilenam.cfg"));
        assertEquals("anothe~1.cfg anotherlongname.cfg\n", reopened.readText("longname.lfn"));
    }

    @Test
    void damagedTableLinesAreSkippedAndTheFileStaysReachable() throws IOException {
        Path dir = data.resolve("flash");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("extral~1.cfg"), "content");
        Files.writeString(dir.resolve("longname.lfn"), "garbage line here\n\u0000\u0001\nextral~1.cfg extralongfilenam.cfg\n");
        Flash flash = new Flash(dir);
        assertEquals("content", flash.readText("extralongfilenam.cfg"));
    }

    @Test
    void writeFailureKeepsTheOldContentAndLeavesNoTemp() throws IOException {
        Flash flash = flash();
        flash.writeText("boot.cfg", "old");
        // a directory in the way of the target makes the final rename fail
        flash.writeText("dir.cfg", "x");
        Path dir = data.resolve("flash");
        Files.delete(dir.resolve("dir.cfg"));
        Files.createDirectory(dir.resolve("dir.cfg"));
        Files.writeString(dir.resolve("dir.cfg/keep"), "k");
        StoreException e = assertThrows(StoreException.class, () -> flash.writeText("dir.cfg", "new"));
        assertEquals("File dir.cfg cannot be written: Is a directory", e.getMessage());
        try (var entries = Files.list(dir)) {
            assertTrue(entries.noneMatch(p -> p.getFileName().toString().startsWith(Flash.TEMP_PREFIX)));
        }
        assertEquals("old", flash.readText("boot.cfg"));
    }

    @Test
    void longNameIsNotWrittenWhenItsTableCannotBe() throws IOException {
        Path dir = data.resolve("flash");
        Files.createDirectories(dir.resolve("longname.lfn"));
        Flash flash = new Flash(dir);
        StoreException e = assertThrows(StoreException.class, () -> flash.writeText("extralongfilenam.cfg", "x"));
        assertEquals("File longname.lfn cannot be written: Is a directory", e.getMessage());
        assertFalse(flash.exists("extralongfilenam.cfg"));
        assertEquals(List.of(), flash.list(), "no file under an alias the table does not know");
        Files.delete(dir.resolve("longname.lfn"));
        flash.writeText("extralongfilenam.cfg", "x");
        assertEquals("x", new Flash(dir).readText("extralongfilenam.cfg"));
    }
}
