package dev.party.store.sqlite;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * One process per worker name on this SQLite file: an OS file lock on {@code workers/<name>.lock}
 * beside it, freed by the OS when the process dies, so a cron line may start the worker every
 * minute safely. Two engines in one JVM are refused too.
 */
final class FileNameLock implements dev.party.store.WorkerNameLock {
  private final FileChannel channel;
  private final FileLock lock;

  private FileNameLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  /** The lock, or empty when another process holds it. */
  static Optional<FileNameLock> tryAcquire(Path dataDirectory, String workerId) throws IOException {
    Path file = dataDirectory.resolve("workers").resolve(workerId + ".lock");
    Files.createDirectories(file.getParent());
    FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    try {
      FileLock lock = channel.tryLock();
      if (lock != null) return Optional.of(new FileNameLock(channel, lock));
    } catch (OverlappingFileLockException heldInThisProcess) {
      // fall through: held
    }
    channel.close();
    return Optional.empty();
  }

  /** An OS file lock lasts as long as the process and its open channel. */
  @Override
  public boolean stillHeld() {
    return lock.isValid();
  }

  @Override
  public void close() {
    try {
      try {
        lock.release();
      } finally {
        channel.close();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
