package org.docsgen.store.adapters.fs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.docsgen.store.domain.artifact.LogicalPath;

/**
 * The documented on-disk layout, spelled out independently of the store's own code so tests check
 * the files themselves: {@code <root>/<run>/<stage>/<folders…>/<file>@<generation>/content}.
 */
final class RawLayout {
  private RawLayout() {}

  static Path generationDir(Path root, LogicalPath path, int generation) {
    Path dir = root.resolve(path.runId().toString()).resolve(path.stage().toString());
    String[] segments = path.name().split("/");
    for (int i = 0; i < segments.length - 1; i++) {
      dir = dir.resolve(segments[i]);
    }
    return dir.resolve(segments[segments.length - 1] + "@" + generation);
  }

  static Path content(Path root, LogicalPath path, int generation) {
    return generationDir(root, path, generation).resolve("content");
  }

  static Path meta(Path root, LogicalPath path, int generation) {
    return generationDir(root, path, generation).resolve("meta.properties");
  }

  /** Every staging (write-in-progress) entry anywhere below {@code root}. */
  static List<Path> stagingEntries(Path root) {
    try (Stream<Path> all = Files.walk(root)) {
      return all.filter(p -> p.getFileName().toString().startsWith("~")).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every regular file below {@code dir}, relative to it. */
  static List<String> files(Path dir) {
    try (Stream<Path> all = Files.walk(dir)) {
      return all.filter(Files::isRegularFile).map(p -> dir.relativize(p).toString()).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
