package io.rtcat.peer;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.net.JarURLConnection;
import java.net.URL;
import java.net.URLConnection;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Keeps libwebrtc extracted between runs. webrtc-java's loader inflates its 23 MB library out of the jar into
 * {@code java.io.tmpdir} on every start (130-200 ms, most of the library's load time; the load itself is some
 * 17 ms) and deletes it at exit. rtcat extracts it once into the user's cache directory, under a name that
 * carries the jar entry's CRC (a new build gets a new file), loads that, and tells webrtc-java's loader the
 * library is in, so that it does not extract a second copy. Anything unexpected (no cache directory, a loader
 * that changed, a cache on a file system that forbids executables) leaves the load to webrtc-java as before.
 * {@code RTCAT_NATIVE_CACHE=0} turns it off.
 */
final class LibraryCache {

    private static final Logger LOG = Logger.getLogger(LibraryCache.class.getName());
    /** The name PeerConnectionFactory's static initialiser passes to webrtc-java's NativeLoader. */
    private static final String LOADER_NAME = "webrtc-java";
    private static final String LOADER_CLASS = "dev.onvoid.webrtc.internal.NativeLoader";
    private static final Set<PosixFilePermission> PRIVATE = PosixFilePermissions.fromString("rwx------");

    private LibraryCache() {
    }

    /** Loads the library from the cache (extracting it first if needed); false when it left the load to webrtc-java. */
    static boolean load(NativeHost host, Map<String, String> env) {
        if ("0".equals(env.get("RTCAT_NATIVE_CACHE"))) {
            return false;
        }
        Path dir = directory(host.family(), env, System.getProperty("user.home"));
        URL resource = LibraryCache.class.getClassLoader().getResource(host.libraryResource());
        if (dir == null || resource == null) {
            return false;
        }
        try {
            Set<String> loaded = loaderRegistry();
            Path library = cached(resource, dir, host.libraryResource());
            if (library == null) {
                return false;
            }
            loaded.add(LOADER_NAME); // first: a registry that refuses it must not leave two copies loaded
            try {
                System.load(library.toString());
            } catch (UnsatisfiedLinkError | RuntimeException e) {
                loaded.remove(LOADER_NAME);
                throw e;
            }
            return true;
        } catch (IOException | ReflectiveOperationException | RuntimeException | UnsatisfiedLinkError e) {
            LOG.log(Level.FINE, "native library cache not used", e);
            return false;
        }
    }

    /** {@code rtcat/native} in the platform's per-user cache directory; null when there is no home to put it in. */
    static Path directory(String family, Map<String, String> env, String userHome) {
        Path base;
        if (family.equals("windows") && env.get("LOCALAPPDATA") != null) {
            base = Path.of(env.get("LOCALAPPDATA"));
        } else if (family.equals("macos") && userHome != null) {
            base = Path.of(userHome, "Library", "Caches");
        } else if (env.get("XDG_CACHE_HOME") != null && Path.of(env.get("XDG_CACHE_HOME")).isAbsolute()) {
            base = Path.of(env.get("XDG_CACHE_HOME"));
        } else if (env.getOrDefault("HOME", userHome) != null) {
            base = Path.of(env.getOrDefault("HOME", userHome), ".cache");
        } else {
            return null;
        }
        return base.resolve("rtcat").resolve("native");
    }

    /** The cached file's name: the resource's, with its CRC-32 before the extension. */
    static String fileName(String resource, long crc) {
        int dot = resource.lastIndexOf('.');
        String crcText = String.format(Locale.ROOT, "%08x", crc);
        return dot < 0 ? resource + "-" + crcText
                : resource.substring(0, dot) + "-" + crcText + resource.substring(dot);
    }

    /**
     * The extracted library in {@code dir}, extracting it now if it is missing or has the wrong size (written to a
     * temporary name, synced, then renamed, so a crash never leaves half a library under the final name); null
     * when the resource is not in a jar (no CRC to name it by).
     */
    static Path cached(URL resource, Path dir, String resourceName) throws IOException {
        URLConnection connection = resource.openConnection();
        if (!(connection instanceof JarURLConnection jar)) {
            return null;
        }
        connection.setUseCaches(false); // a jar file of its own, closed here
        try {
            JarEntry entry = jar.getJarEntry();
            if (entry == null || entry.getCrc() < 0 || entry.getSize() < 0) {
                return null;
            }
            return cached(jar, entry, dir.resolve(fileName(resourceName, entry.getCrc())));
        } finally {
            jar.getJarFile().close();
        }
    }

    private static Path cached(JarURLConnection jar, JarEntry entry, Path target) throws IOException {
        Path dir = target.getParent();
        createPrivate(dir);
        if (!ownedAndPrivate(dir)) {
            return null; // someone else could have put a library of their own there
        }
        if (Files.isRegularFile(target) && Files.size(target) == entry.getSize()) {
            return target;
        }
        Path temporary = Files.createTempFile(dir, ".extract-", ".tmp");
        try {
            try (InputStream in = jar.getInputStream()) {
                Files.copy(in, temporary, StandardCopyOption.REPLACE_EXISTING);
            }
            if (Files.size(temporary) != entry.getSize()) {
                throw new IOException("extracted " + Files.size(temporary) + " of " + entry.getSize() + " bytes");
            }
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
                channel.force(true);
            }
            try {
                Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
            }
            return target;
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    /** The directory, readable and writable by this user alone where the file system has POSIX permissions. */
    private static void createPrivate(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        Files.createDirectories(dir.getParent());
        try {
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PRIVATE));
        } catch (UnsupportedOperationException e) {
            Files.createDirectory(dir);
        } catch (java.nio.file.FileAlreadyExistsException e) {
            // another rtcat made it meanwhile
        }
    }

    /** True unless POSIX permissions say the directory is another user's or writable by others. */
    static boolean ownedAndPrivate(Path dir) throws IOException {
        Set<PosixFilePermission> permissions;
        try {
            permissions = Files.getPosixFilePermissions(dir);
        } catch (UnsupportedOperationException e) {
            return true; // Windows: the per-user LOCALAPPDATA
        }
        return Files.getOwner(dir).getName().equals(System.getProperty("user.name"))
                && !permissions.contains(PosixFilePermission.GROUP_WRITE)
                && !permissions.contains(PosixFilePermission.OTHERS_WRITE);
    }

    /** webrtc-java's set of libraries it has loaded (checked before it extracts one). */
    @SuppressWarnings("unchecked")
    private static Set<String> loaderRegistry() throws ReflectiveOperationException {
        Field field = Class.forName(LOADER_CLASS, false, LibraryCache.class.getClassLoader())
                .getDeclaredField("LOADED_LIB_SET");
        field.setAccessible(true);
        return (Set<String>) field.get(null);
    }
}
