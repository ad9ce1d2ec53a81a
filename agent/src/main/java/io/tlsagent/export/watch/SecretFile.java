package io.tlsagent.export.watch;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.EnumSet;
import java.util.Set;

/**
 * The watch channel's port and secret, in {@code <java.io.tmpdir>/tls-agent-<user>/watch-<pid>}: a 0600 file in a
 * 0700 directory of this JVM's user. A directory of that name that is not ours, or open to others, is refused (it
 * could have been prepared by another user to read the secret).
 */
final class SecretFile {

    private static final Set<PosixFilePermission> DIR = EnumSet.of(PosixFilePermission.OWNER_READ,
            PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE);
    private static final Set<PosixFilePermission> FILE = EnumSet.of(PosixFilePermission.OWNER_READ,
            PosixFilePermission.OWNER_WRITE);

    private final Path path;

    private SecretFile(Path path) {
        this.path = path;
    }

    Path path() {
        return path;
    }

    static SecretFile write(int port, byte[] secret) throws IOException {
        Path dir = Paths.get(System.getProperty("java.io.tmpdir"), "tls-agent-" + System.getProperty("user.name"));
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            try {
                Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(DIR));
            } catch (java.nio.file.FileAlreadyExistsException raced) {
                // checked below like any existing one
            }
        }
        PosixFileAttributes attrs = Files.readAttributes(dir, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        UserPrincipal me = dir.getFileSystem().getUserPrincipalLookupService()
                .lookupPrincipalByName(System.getProperty("user.name"));
        if (!attrs.isDirectory() || !attrs.owner().equals(me) || !attrs.permissions().equals(DIR)) {
            throw new IOException(dir + " is not a private directory of " + me.getName()
                    + " (expected owner-only rwx); not opening the watch channel");
        }
        Path file = dir.resolve("watch-" + ProcessHandle.current().pid());
        Files.deleteIfExists(file); // a stale one of an earlier process with the same pid
        Files.createFile(file, PosixFilePermissions.asFileAttribute(FILE));
        Files.write(file, (port + " " + hex(secret) + "\n").getBytes(StandardCharsets.US_ASCII));
        return new SecretFile(file);
    }

    void delete() {
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            io.tlsagent.util.AgentLog.once("cannot delete " + path + ": " + e.getMessage());
        }
    }

    static String hex(byte[] bytes) {
        StringBuilder sb = new StringBuilder(bytes.length * 2);
        for (byte b : bytes) {
            sb.append(Character.forDigit((b >> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
        }
        return sb.toString();
    }
}
