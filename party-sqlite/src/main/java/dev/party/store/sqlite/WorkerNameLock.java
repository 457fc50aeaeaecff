package dev.party.store.sqlite;

import java.io.IOException;
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
final class WorkerNameLock implements AutoCloseable {
  private final FileChannel channel;
  private final FileLock lock;

  private WorkerNameLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  /** The lock, or empty when another process holds it. */
  static Optional<WorkerNameLock> tryAcquire(Path dataDirectory, String workerId) throws IOException {
    Path file = dataDirectory.resolve("workers").resolve(workerId + ".lock");
    Files.createDirectories(file.getParent());
    FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    try {
      FileLock lock = channel.tryLock();
      if (lock != null) return Optional.of(new WorkerNameLock(channel, lock));
    } catch (OverlappingFileLockException heldInThisProcess) {
      // fall through: held
    }
    channel.close();
    return Optional.empty();
  }

  @Override
  public void close() throws IOException {
    try {
      lock.release();
    } finally {
      channel.close();
    }
  }
}
