package io.rtcat.peer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LibraryCacheTest {

    @TempDir
    Path tmp;

    @Test
    void theCacheLivesInEachPlatformsPerUserCacheDirectory() {
        assertEquals(Path.of("/x/cache/rtcat/native"),
                LibraryCache.directory("linux", Map.of("XDG_CACHE_HOME", "/x/cache", "HOME", "/h"), "/h"));
        assertEquals(Path.of("/h/.cache/rtcat/native"), LibraryCache.directory("linux", Map.of("HOME", "/h"), "/u"));
        assertEquals(Path.of("/h/.cache/rtcat/native"),
                LibraryCache.directory("linux", Map.of("XDG_CACHE_HOME", "relative", "HOME", "/h"), "/u"),
                "a relative XDG_CACHE_HOME is ignored, as the spec says");
        assertEquals(Path.of("/u/.cache/rtcat/native"), LibraryCache.directory("linux", Map.of(), "/u"));
        assertEquals(Path.of("/u/Library/Caches/rtcat/native"), LibraryCache.directory("macos", Map.of(), "/u"));
        assertNull(LibraryCache.directory("linux", Map.of(), null), "no home: no cache");
    }

    @Test
    void theFileNameCarriesTheEntrysCrc() {
        assertEquals("libwebrtc-java-linux-x86_64-15496c15.so",
                LibraryCache.fileName("libwebrtc-java-linux-x86_64.so", 0x15496c15L));
        assertEquals("webrtc-java-windows-x86_64-0000002a.dll",
                LibraryCache.fileName("webrtc-java-windows-x86_64.dll", 42));
    }

    @Test
    void extractsOnceAndReusesTheCopyWhileTheJarsEntryIsTheSame() throws Exception {
        byte[] library = "not really a library".getBytes();
        URL resource = resourceIn(jar("a.jar", library), "libx.so");
        Path dir = tmp.resolve("cache/rtcat/native");
        Path first = LibraryCache.cached(resource, dir, "libx.so");
        assertEquals(dir.resolve(LibraryCache.fileName("libx.so", crc(library))), first);
        assertArrayEquals(library, Files.readAllBytes(first));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
        Files.setLastModifiedTime(first, FileTime.fromMillis(1_000_000));
        assertEquals(first, LibraryCache.cached(resource, dir, "libx.so"));
        assertEquals(1_000_000, Files.getLastModifiedTime(first).toMillis(), "not written again");
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count(), "no temporary file left behind");
        }
    }

    @Test
    void aTruncatedCopyIsExtractedAgainAndANewBuildGetsAFileOfItsOwn() throws Exception {
        byte[] library = "library, build one".getBytes();
        Path dir = tmp.resolve("native");
        Path first = LibraryCache.cached(resourceIn(jar("one.jar", library), "libx.so"), dir, "libx.so");
        Files.write(first, new byte[3]);
        assertArrayEquals(library, Files.readAllBytes(
                LibraryCache.cached(resourceIn(jar("one.jar", library), "libx.so"), dir, "libx.so")));
        byte[] next = "library, build two".getBytes();
        Path second = LibraryCache.cached(resourceIn(jar("two.jar", next), "libx.so"), dir, "libx.so");
        assertFalse(second.equals(first));
        assertArrayEquals(next, Files.readAllBytes(second));
    }

    @Test
    void aDirectoryOthersMayWriteToIsNotTrusted() throws Exception {
        Path dir = Files.createDirectory(tmp.resolve("shared"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
        assertFalse(LibraryCache.ownedAndPrivate(dir));
        assertNull(LibraryCache.cached(resourceIn(jar("a.jar", new byte[] {1}), "libx.so"), dir, "libx.so"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        assertTrue(LibraryCache.ownedAndPrivate(dir));
    }

    @Test
    void aResourceOutsideAJarIsLeftToWebrtcJava() throws Exception {
        Path plain = Files.write(tmp.resolve("libx.so"), new byte[] {1, 2});
        assertNull(LibraryCache.cached(plain.toUri().toURL(), tmp.resolve("native"), "libx.so"));
    }

    @Test
    void turnedOffItLeavesTheLoadToWebrtcJava() {
        assertFalse(LibraryCache.load(NativeHost.current(), Map.of("RTCAT_NATIVE_CACHE", "0")));
    }

    private Path jar(String name, byte[] content) throws IOException {
        Path jar = tmp.resolve(name);
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(out)) {
            j.putNextEntry(new JarEntry("libx.so"));
            j.write(content);
            j.closeEntry();
        }
        return jar;
    }

    private static URL resourceIn(Path jar, String name) throws IOException {
        try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, null)) {
            return loader.getResource(name);
        }
    }

    private static long crc(byte[] b) {
        CRC32 c = new CRC32();
        c.update(b);
        return c.getValue();
    }
}
