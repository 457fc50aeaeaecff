package dev.party.cli;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * One process per worker name on a machine: an OS file lock on {@code workers/<name>.lock}, freed
 * by the OS when the process dies, so a cron line may start the worker every minute safely.
 */
final class WorkerLock implements AutoCloseable {
  private final FileChannel channel;
  private final FileLock lock;

  private WorkerLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  /** The lock, or empty when another process holds it. */
  static Optional<WorkerLock> tryAcquire(Path dataDirectory, String workerId) throws IOException {
    Path file = dataDirectory.resolve("workers").resolve(workerId + ".lock");
    Files.createDirectories(file.getParent());
    FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    try {
      FileLock lock = channel.tryLock();
      if (lock != null) return Optional.of(new WorkerLock(channel, lock));
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
