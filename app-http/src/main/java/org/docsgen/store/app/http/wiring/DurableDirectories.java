package org.docsgen.store.app.http.wiring;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Directories whose existence survives a power cut. Creating a directory changes its parent, and
 * that change is durable only once the parent itself is fsynced; {@link Files#createDirectories}
 * never does that, so a file fsynced inside a fresh directory could vanish with it.
 */
final class DurableDirectories {
  private DurableDirectories() {}

  /**
   * Creates {@code dir} and its missing ancestors, fsyncing the parent of each one it creates (or
   * finds just created by a concurrent start, which may not have synced it yet).
   */
  static void create(Path dir) throws IOException {
    Deque<Path> missing = new ArrayDeque<>();
    Path existing = dir.toAbsolutePath();
    while (existing != null && !Files.isDirectory(existing)) {
      missing.push(existing);
      existing = existing.getParent();
    }
    while (!missing.isEmpty()) {
      Path next = missing.pop();
      try {
        Files.createDirectory(next);
      } catch (FileAlreadyExistsException raced) {
        if (!Files.isDirectory(next)) {
          throw raced;
        }
      }
      force(next.getParent());
    }
  }

  /** fsyncs {@code dir}: its entries (creations, renames) become durable. */
  static void force(Path dir) throws IOException {
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    }
  }
}
