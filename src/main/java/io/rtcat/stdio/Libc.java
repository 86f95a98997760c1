package io.rtcat.stdio;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Platform;

/** Loads the C library through JNA for rtcat's few direct system calls (fd 1 here, socket buffers in peer). */
public final class Libc {

    private Libc() {
    }

    /**
     * The C library bound to {@code api}. Names the glibc soname directly and gives JNA an (empty) platform search
     * path before its first use: otherwise JNA's start-up runs {@code /sbin/ldconfig -p} in a subprocess to
     * build that path, a good part of a short command's start-up (README, "Start-up").
     */
    public static <T extends Library> T load(Class<T> api) {
        if (System.getProperty("jna.platform.library.path") == null) {
            System.setProperty("jna.platform.library.path", "");
        }
        if (Platform.isLinux()) {
            try {
                return Native.load("libc.so.6", api);
            } catch (UnsatisfiedLinkError e) {
                // not glibc: fall back to JNA's own name for the platform's C library
            }
        }
        return Native.load(Platform.C_LIBRARY_NAME, api);
    }
}
