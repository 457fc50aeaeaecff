package dev.party.server;

import dev.party.error.ConfigException;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The path of the API's Unix domain socket, claimed for one server's lifetime. A lock on
 * {@code <socket>.lock} beside it says whose the path is: two servers started on one path at the
 * same moment cannot both get it, and the one that loses neither binds nor removes the other's
 * socket. The lock file itself stays (removing it would let a third server lock a fresh file).
 */
final class SocketFile implements AutoCloseable {
  private final Path socket;
  private final FileChannel lockFile;
  private final FileLock lock;

  private SocketFile(Path socket, FileChannel lockFile, FileLock lock) {
    this.socket = socket;
    this.lockFile = lockFile;
    this.lock = lock;
  }

  /**
   * Makes sure the socket can be created safely: its folder is created owner-and-group only
   * (0750) when missing, and must otherwise belong to this user and be writable by no one else, so
   * nobody can swap the socket for a link. A socket file left by a dead server is removed; a path
   * another server holds, or any file that is not a socket, is refused and left alone.
   */
  static SocketFile claim(Path socket) {
    Path folder = socket.toAbsolutePath().getParent();
    FileChannel lockFile = null;
    try {
      if (!Files.isDirectory(folder)) {
        Files.createDirectories(folder, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-x---")));
      }
      checkPrivate(folder);
      lockFile = FileChannel.open(lockPath(socket), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      FileLock lock = tryLock(lockFile);
      if (lock == null || answers(socket)) {
        throw new ConfigException("another server is listening on " + socket + "; stop it or choose another socket path");
      }
      if (Files.exists(socket, LinkOption.NOFOLLOW_LINKS)) {
        if (!isSocket(socket)) {
          throw new ConfigException(socket + " exists and is not a socket; choose another socket path");
        }
        Files.delete(socket); // left by a server that died: the lock was free
      }
      return new SocketFile(socket, lockFile, lock);
    } catch (IOException e) {
      closeQuietly(lockFile);
      throw new ConfigException("cannot prepare the socket path " + socket + ": " + e.getMessage());
    } catch (RuntimeException e) {
      closeQuietly(lockFile);
      throw e;
    }
  }

  static Path lockPath(Path socket) {
    return socket.resolveSibling(socket.getFileName() + ".lock");
  }

  /**
   * Owner and group may connect (0660); others may not. Until this runs the socket has the mode the
   * umask gives (0755 under the usual 022, which lets only the owner connect). The folder is
   * private (see {@link #claim}), so the path is still this socket, not a link someone planted.
   */
  void restrict() throws IOException {
    if (!isSocket(socket)) throw new IOException("it is no longer a socket");
    Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-rw----"));
  }

  /** Removes the socket, then lets the path go. Call after the server stopped listening. */
  @Override
  public void close() throws IOException {
    try {
      Files.deleteIfExists(socket);
    } finally {
      lockFile.close(); // releases the lock
    }
  }

  private static FileLock tryLock(FileChannel channel) throws IOException {
    try {
      return channel.tryLock();
    } catch (OverlappingFileLockException heldInThisJvm) {
      return null;
    }
  }

  private static void checkPrivate(Path folder) throws IOException {
    var owner = Files.getOwner(folder);
    String me = System.getProperty("user.name");
    var permissions = Files.getPosixFilePermissions(folder);
    if (!owner.getName().equals(me)
        || permissions.contains(PosixFilePermission.GROUP_WRITE)
        || permissions.contains(PosixFilePermission.OTHERS_WRITE)) {
      throw new ConfigException(("the socket's folder %s must belong to %s and be writable by no one else "
          + "(it is %s's, %s); use a folder of your own, such as party-data")
          .formatted(folder, me, owner.getName(), PosixFilePermissions.toString(permissions)));
    }
  }

  private static boolean isSocket(Path path) throws IOException {
    int mode = (Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS);
    return (mode & 0170000) == 0140000; // S_IFSOCK
  }

  /** A server of an older Party, or of anything else, may listen without the lock. */
  private static boolean answers(Path socket) {
    try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      channel.connect(UnixDomainSocketAddress.of(socket));
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static void closeQuietly(FileChannel channel) {
    if (channel == null) return;
    try {
      channel.close();
    } catch (IOException ignored) {
      // closing only to release the lock; nothing more to do
    }
  }
}
