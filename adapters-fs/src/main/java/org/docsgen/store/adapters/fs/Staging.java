package org.docsgen.store.adapters.fs;

import static java.nio.file.StandardOpenOption.CREATE_NEW;
import static java.nio.file.StandardOpenOption.WRITE;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A write in progress: a {@code ~tmp-<uuid>} directory in the deepest existing folder of the
 * generation it will become (beside it, unless the upload opens new folders), holding {@code
 * content} (and, once the hash is known, {@code meta.properties}). It is published by one rename to
 * {@code <file>@<generation>}, which fails when that name exists, so of several writers of one
 * generation — threads or processes — exactly one wins.
 *
 * <p>While open, the writer holds an exclusive OS lock ({@code fcntl}) on {@code content}. The
 * start-up {@link #sweep} removes a staging directory only when it can take that lock, i.e. when
 * the process that wrote it is gone (the kernel drops a dead process's locks, even after {@code
 * kill -9}); a live writer in another process is never disturbed. Writers of this JVM are skipped
 * by name, because closing a second descriptor of a file would drop this process's own lock.
 */
final class Staging implements AutoCloseable {
  private static final Set<Path> IN_USE = ConcurrentHashMap.newKeySet();
  private static final int ATTEMPTS = 8;
  private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;

  private final Path dir;
  private final FileChannel content;
  private boolean published;

  private Staging(Path dir, FileChannel content) {
    this.dir = dir;
    this.content = content;
  }

  /** Claims a fresh staging directory in {@code parent} (which must exist). */
  static Staging open(Path parent) throws IOException {
    for (int attempt = 1; ; attempt++) {
      Path dir = parent.resolve(FsLayout.stagingName());
      IN_USE.add(dir);
      FileChannel channel = null;
      try {
        Files.createDirectory(dir);
        channel = FileChannel.open(dir.resolve(FsLayout.CONTENT), CREATE_NEW, WRITE, NOFOLLOW);
        FileLock lock = channel.tryLock();
        // A sweep in another process may have removed the directory between our steps (it takes
        // the lock first); then this claim is void and we retry under a new name.
        if (lock != null && FsLayout.lstat(dir.resolve(FsLayout.CONTENT)).isPresent()) {
          return new Staging(dir, channel);
        }
      } catch (NoSuchFileException swept) {
        if (attempt >= ATTEMPTS) {
          throw swept;
        }
      } catch (IOException | RuntimeException e) {
        closeQuietly(channel);
        deleteQuietly(dir);
        IN_USE.remove(dir);
        throw e;
      }
      closeQuietly(channel);
      deleteQuietly(dir);
      IN_USE.remove(dir);
      if (attempt >= ATTEMPTS) {
        throw new IOException("could not claim a staging directory after " + ATTEMPTS + " tries");
      }
    }
  }

  /** Where the content streams to. */
  FileChannel content() {
    return content;
  }

  /** Writes and syncs {@code meta.properties}. */
  void writeMetadata(byte[] bytes) throws IOException {
    try (FileChannel meta =
        FileChannel.open(dir.resolve(FsLayout.META), CREATE_NEW, WRITE, NOFOLLOW)) {
      ByteBuffer buffer = ByteBuffer.wrap(bytes);
      while (buffer.hasRemaining()) {
        meta.write(buffer);
      }
      meta.force(true);
    }
  }

  /** Syncs the content and the staging directory's entries, so a publish makes both durable. */
  void makeDurable() throws IOException {
    content.force(true);
    FsLayout.forceDirectory(dir);
  }

  /** The identities of a staged generation's two files (see {@link #identities}). */
  record Identities(VerifiedReads.Identity content, VerifiedReads.Identity metadata) {}

  /**
   * The identities of {@code content} and {@code meta.properties} as they are now — one {@code
   * lstat} each — for a caller that has written and synced both ({@link #writeMetadata}, {@link
   * #makeDurable}) and will write to neither again; null when either is not a regular file or
   * cannot be looked at (never throws: the caller then simply does without).
   *
   * <p>They are the identities of the published files too: {@link #publish} renames the directory
   * holding them, which changes that directory's change time, not theirs (their inodes are not
   * written; {@code FsWriteSeedTest} checks this on the file system the tests run on).
   */
  Identities identities() {
    try {
      Optional<FsLayout.FileAttributes> content =
          FsLayout.fileAttributes(dir.resolve(FsLayout.CONTENT));
      Optional<FsLayout.FileAttributes> meta = FsLayout.fileAttributes(dir.resolve(FsLayout.META));
      if (content.isEmpty()
          || meta.isEmpty()
          || !isPlainFile(content.get())
          || !isPlainFile(meta.get())) {
        return null;
      }
      return new Identities(content.get().identity(), meta.get().identity());
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  private static boolean isPlainFile(FsLayout.FileAttributes attributes) {
    return attributes.regularFile() && !attributes.symbolicLink();
  }

  /**
   * Renames the staging directory to {@code target}. Returns false, leaving everything as it was,
   * when {@code target} already exists: another writer published that generation first.
   */
  boolean publish(Path target) throws IOException {
    // rename(2) itself is the exclusive create: it refuses to replace a non-empty directory (every
    // generation is published non-empty) and to put a directory over a file or link. Called
    // directly (java.io.File#renameTo) it is one system call; Files.move adds an lstat of each
    // name first, whose only extra refusal — an empty directory at the target — is a foreign entry
    // the guard's look at the latest generation has just refused unless it appeared since.
    if (dir.toFile().renameTo(target.toFile())) {
      published = true;
      return true;
    }
    // renameTo says only that it failed: Files.move says why (or finds the target taken)
    try {
      // Without REPLACE_EXISTING the JDK refuses an existing target, and rename(2) itself refuses
      // to replace a non-empty directory, which closes the race between that check and the rename.
      Files.move(dir, target);
    } catch (IOException e) {
      if (FsLayout.lstat(target).isPresent()) {
        return false;
      }
      throw e;
    }
    published = true;
    return true;
  }

  /** Releases the lock; removes the staging directory unless it was published. Never throws. */
  @Override
  public void close() {
    try {
      if (!published) {
        deleteQuietly(dir);
      }
    } finally {
      closeQuietly(content);
      IN_USE.remove(dir);
    }
  }

  /**
   * Removes staging directories (and health probes) abandoned under {@code root} by writers that
   * are gone. Returns how many staging directories were removed.
   */
  static int sweep(Path root) throws IOException {
    int[] removed = {0};
    Files.walkFileTree(
        root,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
            if (dir.equals(root)) {
              return FileVisitResult.CONTINUE;
            }
            String name = dir.getFileName().toString();
            if (name.startsWith(FsLayout.STAGING_PREFIX)) {
              removed[0] += removeIfAbandoned(dir) ? 1 : 0;
              return FileVisitResult.SKIP_SUBTREE;
            }
            return FsLayout.parseGenerationEntry(name).isPresent()
                ? FileVisitResult.SKIP_SUBTREE
                : FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
            String name = file.getFileName().toString();
            if (root.equals(file.getParent())
                && (name.startsWith(FsLayout.HEALTH_PREFIX)
                    || name.startsWith(FsLayout.STAGING_PREFIX))) {
              deleteQuietly(file);
            }
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFileFailed(Path file, IOException e) {
            return FileVisitResult.CONTINUE;
          }
        });
    return removed[0];
  }

  private static boolean removeIfAbandoned(Path dir) {
    if (IN_USE.contains(dir)) {
      return false;
    }
    FileChannel channel;
    try {
      channel = FileChannel.open(dir.resolve(FsLayout.CONTENT), WRITE, NOFOLLOW);
    } catch (NoSuchFileException noContent) {
      return removeEmptyClaim(dir);
    } catch (IOException notOurs) {
      return false;
    }
    try (channel) {
      FileLock lock = channel.tryLock();
      if (lock == null) {
        return false;
      }
      deleteQuietly(dir);
      return true;
    } catch (IOException | OverlappingFileLockException held) {
      return false;
    }
  }

  /**
   * A staging directory without content: a writer crashed right after creating it (or is about to
   * create the content, and then retries under a new name when this removal wins).
   */
  private static boolean removeEmptyClaim(Path dir) {
    try {
      Files.deleteIfExists(dir.resolve(FsLayout.META));
      Files.delete(dir);
      return true;
    } catch (DirectoryNotEmptyException | NoSuchFileException writerIsBack) {
      return false;
    } catch (IOException e) {
      return false;
    }
  }

  /** Deletes a staging directory's files and the directory itself; absent entries are fine. */
  private static void deleteQuietly(Path path) {
    try {
      if (Files.isDirectory(path, NOFOLLOW)) {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(path)) {
          for (Path entry : entries) {
            Files.deleteIfExists(entry);
          }
        }
      }
      Files.deleteIfExists(path);
    } catch (IOException e) {
      // a leftover is harmless: reads ignore it and the next start-up sweep removes it
    }
  }

  private static void closeQuietly(FileChannel channel) {
    if (channel != null) {
      try {
        channel.close();
      } catch (IOException e) {
        // nothing to do: the descriptor is gone either way
      }
    }
  }
}
