package dev.party.cleanup;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * A dump file: JSON lines appended to {@code path}, rotated like logrotate. When a line would take
 * the file past {@code maxBytes}, {@code path.N} becomes {@code path.N+1} (the oldest, {@code
 * path.<kept-1>}, is deleted), {@code path} becomes {@code path.1}, and a new {@code path} starts.
 * So at most {@code kept} files, none larger than {@code maxBytes} unless one line alone is.
 * {@link #append} returns only once the lines are on disk (fsync).
 */
final class DumpFile {
  /** The seeds' rotation: every 5 MB, 20 files kept. */
  static final long MAX_BYTES = 5L * 1024 * 1024;
  static final int KEPT = 20;

  private final Path path;
  private final long maxBytes;
  private final int kept;

  DumpFile(Path path) {
    this(path, MAX_BYTES, KEPT);
  }

  DumpFile(Path path, long maxBytes, int kept) {
    this.path = path.toAbsolutePath();
    this.maxBytes = maxBytes;
    this.kept = kept;
  }

  Path path() {
    return path;
  }

  /** Appends the lines (each without its newline), rotating as needed, and forces them to disk. */
  synchronized void append(List<String> lines) {
    if (lines.isEmpty()) return;
    try {
      Path parent = path.getParent();
      if (parent != null) Files.createDirectories(parent);
      FileChannel channel = open();
      try {
        for (String line : lines) {
          byte[] bytes = (line + "\n").getBytes(StandardCharsets.UTF_8);
          if (channel.size() > 0 && channel.size() + bytes.length > maxBytes) {
            channel.force(true);
            channel.close();
            rotate();
            channel = open();
          }
          write(channel, bytes);
        }
        channel.force(true);
      } finally {
        channel.close();
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot append to the cleanup dump file " + path + ": " + e.getMessage(), e);
    }
  }

  /** Opens for appending; a line cut short by a crash is ended first, so the next one stays valid. */
  private FileChannel open() throws IOException {
    boolean cutShort = false;
    if (Files.exists(path) && Files.size(path) > 0) {
      try (FileChannel read = FileChannel.open(path, StandardOpenOption.READ)) {
        ByteBuffer last = ByteBuffer.allocate(1);
        read.read(last, read.size() - 1);
        cutShort = last.get(0) != '\n';
      }
    }
    FileChannel channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.APPEND);
    if (cutShort) write(channel, new byte[] {'\n'});
    return channel;
  }

  private static void write(FileChannel channel, byte[] bytes) throws IOException {
    ByteBuffer buffer = ByteBuffer.wrap(bytes);
    while (buffer.hasRemaining()) channel.write(buffer);
  }

  private void rotate() throws IOException {
    Files.deleteIfExists(numbered(kept - 1));
    for (int n = kept - 2; n >= 1; n--) {
      if (Files.exists(numbered(n))) Files.move(numbered(n), numbered(n + 1), StandardCopyOption.ATOMIC_MOVE);
    }
    if (kept > 1) Files.move(path, numbered(1), StandardCopyOption.ATOMIC_MOVE);
    else Files.delete(path);
    forceDirectory();
  }

  /** Makes the renames durable where the platform allows it. */
  private void forceDirectory() {
    Path parent = path.getParent();
    if (parent == null) return;
    try (FileChannel directory = FileChannel.open(parent, StandardOpenOption.READ)) {
      directory.force(true);
    } catch (IOException | UncheckedIOException ignored) {
      // Not supported on every platform (Windows); the renames are still made.
    }
  }

  Path numbered(int n) {
    return path.resolveSibling(path.getFileName() + "." + n);
  }
}
