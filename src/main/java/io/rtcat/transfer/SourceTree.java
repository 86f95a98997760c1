package io.rtcat.transfer;

import io.rtcat.errors.RtcatException;
import io.rtcat.errors.RtcatException.Kind;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Expands command-line paths into named sources; see {@link TransferSource#ofPaths}. */
final class SourceTree {

    private SourceTree() {}

    static List<TransferSource> expand(List<Path> paths) throws RtcatException {
        List<TransferSource> sources = new ArrayList<>();
        for (Path path : paths) {
            BasicFileAttributes attributes;
            try {
                attributes = Files.readAttributes(path, BasicFileAttributes.class); // a named link is followed
            } catch (NoSuchFileException e) {
                throw FileSource.noInput(path, "no such file");
            } catch (IOException e) {
                throw FileSource.noInput(path, FileSource.reason(e));
            }
            if (attributes.isDirectory()) {
                addTree(path, sources);
            } else {
                sources.add(FileSource.of(path)); // NO_INPUT for special files and unreadable files
            }
        }
        sources.sort(Comparator.comparing(TransferSource::name));
        checkNames(sources);
        return sources;
    }

    private static void addTree(Path top, List<TransferSource> sources) throws RtcatException {
        Path topName = top.toAbsolutePath().normalize().getFileName();
        if (topName == null) {
            throw new RtcatException(Kind.USAGE, "cannot send " + top + ": it has no name to offer",
                    "name a directory below it instead");
        }
        String prefix = topName.toString();
        List<RtcatException> failure = new ArrayList<>(1);
        Path realTop;
        try {
            realTop = top.toRealPath();
        } catch (IOException e) {
            throw FileSource.noInput(top, FileSource.reason(e));
        }
        try {
            // Not following links: a link to a directory is visited as a (non-regular) file and skipped below.
            Files.walkFileTree(top, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    try {
                        if (attrs.isRegularFile() || attrs.isSymbolicLink() && pointsToRegularFileIn(file, realTop)) {
                            sources.add(FileSource.of(file, prefix + "/" + relative(top, file)));
                        }
                        // anything else (special files, links to directories or out of the tree, dangling links) is skipped
                        return FileVisitResult.CONTINUE;
                    } catch (RtcatException e) {
                        failure.add(e);
                        return FileVisitResult.TERMINATE;
                    }
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) {
                    failure.add(FileSource.noInput(file, FileSource.reason(e)));
                    return FileVisitResult.TERMINATE;
                }
            });
        } catch (IOException e) {
            throw FileSource.noInput(top, FileSource.reason(e));
        }
        if (!failure.isEmpty()) {
            throw failure.get(0);
        }
    }

    /**
     * A link is sent as the file it leads to only when that file is inside the tree: a tree from elsewhere may
     * hold a planted link to, say, ~/.ssh/id_rsa. Links leading out (and dangling ones) are skipped.
     */
    private static boolean pointsToRegularFileIn(Path link, Path realTop) {
        try {
            Path target = link.toRealPath();
            return target.startsWith(realTop) && Files.isRegularFile(target);
        } catch (IOException dangling) {
            return false;
        }
    }

    private static String relative(Path top, Path file) {
        StringBuilder name = new StringBuilder();
        for (Path component : top.relativize(file)) {
            if (name.length() > 0) {
                name.append('/');
            }
            name.append(component);
        }
        return name.toString();
    }

    /** Names the receiver would refuse or that clash are caught here, before anything is read or sent. */
    private static void checkNames(List<TransferSource> sources) throws RtcatException {
        Map<String, TransferSource> byName = new HashMap<>();
        Set<String> directories = new HashSet<>();
        for (TransferSource s : sources) {
            String problem = SafeName.problemWith(s.name());
            if (problem != null) {
                throw new RtcatException(Kind.USAGE, "cannot send " + s + ": its name \"" + ProtocolCodec.echo(s.name())
                        + "\" is not portable (" + problem + ")", "rename it first");
            }
            TransferSource previous = byName.put(s.name(), s);
            if (previous != null) {
                throw new RtcatException(Kind.USAGE, "cannot send both " + previous + " and " + s
                        + ": both would be named " + s.name(), "send them separately or rename one");
            }
            String name = s.name();
            for (int slash = name.indexOf('/'); slash >= 0; slash = name.indexOf('/', slash + 1)) {
                directories.add(name.substring(0, slash));
            }
        }
        for (String dir : directories) {
            TransferSource clash = byName.get(dir);
            if (clash != null) {
                throw new RtcatException(Kind.USAGE, "cannot send " + clash + ": its name " + dir
                        + " is also a directory of other files", "send them separately");
            }
        }
    }
}
