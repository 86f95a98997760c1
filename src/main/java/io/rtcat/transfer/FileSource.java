package io.rtcat.transfer;

import io.rtcat.errors.RtcatException;
import io.rtcat.errors.RtcatException.Kind;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;

/** A regular file on disk; size and mtime are captured when the source is created. */
final class FileSource implements TransferSource {

    private final Path path;
    private final String name;
    private final long size;
    private final long mtimeMillis;

    private FileSource(Path path, String name, long size, long mtimeMillis) {
        this.path = path;
        this.name = name;
        this.size = size;
        this.mtimeMillis = mtimeMillis;
    }

    static FileSource of(Path path) throws RtcatException {
        return of(path, null);
    }

    /** @param name offered name, or null for the file's own name */
    static FileSource of(Path path, String name) throws RtcatException {
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(path, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            throw noInput(path, "no such file");
        } catch (IOException e) {
            throw noInput(path, reason(e));
        }
        if (attributes.isDirectory()) {
            throw noInput(path, "is a directory");
        }
        if (!attributes.isRegularFile()) {
            throw noInput(path, "not a regular file");
        }
        if (!Files.isReadable(path)) {
            throw noInput(path, "permission denied");
        }
        if (name == null) {
            Path fileName = path.getFileName();
            if (fileName == null) {
                throw noInput(path, "has no file name");
            }
            name = fileName.toString();
        }
        return new FileSource(path, name, attributes.size(), attributes.lastModifiedTime().toMillis());
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public long mtimeMillis() {
        return mtimeMillis;
    }

    @Override
    public ReadableByteChannel open() throws IOException {
        return FileChannel.open(path, StandardOpenOption.READ);
    }

    @Override
    public String toString() {
        return path.toString();
    }

    static RtcatException noInput(Path path, String reason) {
        return new RtcatException(Kind.NO_INPUT, "cannot read " + path + ": " + reason);
    }

    static String reason(IOException e) {
        String message = e.getMessage();
        return message == null ? e.getClass().getSimpleName() : message;
    }
}
