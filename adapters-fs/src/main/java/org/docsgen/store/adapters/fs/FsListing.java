package org.docsgen.store.adapters.fs;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.TreeSet;
import org.docsgen.store.domain.artifact.LogicalPath;
import org.docsgen.store.domain.run.RunId;
import org.docsgen.store.domain.run.Stage;
import org.docsgen.store.ports.paging.PageCursorCodec;

/**
 * Walks the artifacts of a run in {@link LogicalPath} order (the canonical string order) one
 * directory at a time, starting after a cursor and stopping as soon as the caller has a page: it
 * reads directory names only, and skips whole sub-trees that sort before the cursor.
 *
 * <p>Within a directory, an artifact {@code x} (entries {@code x@<generation>}) sorts by the key
 * {@code x} and a folder {@code f} by {@code f/} (a hashed generation directory of an over-long
 * name sorts by the name its {@code meta.properties} records); since every path below {@code f}
 * starts with {@code f/}, visiting keys in string order visits full paths in string order. Links
 * are never followed: a run, stage or folder directory that is a symbolic link is not descended
 * into.
 */
final class FsListing {
  private static final PageCursorCodec CURSORS =
      PageCursorCodec.of(
          "|", "the cursor was not issued by this listing; start again without a cursor");
  private static final String LATEST_CURSOR = "L";
  private static final String VERSIONS_CURSOR = "V";
  private static final int MAX_METADATA_BYTES = 64 * 1024;

  /** Receives each artifact in order; returns false to stop the walk. */
  @FunctionalInterface
  interface Visitor {
    boolean visit(LogicalPath path, Path parentDir, List<Integer> generations) throws IOException;
  }

  /** Where a listing resumes: strictly after {@code path} at {@code generation} (0 = all of it). */
  record Cursor(LogicalPath path, int generation) {}

  private final FsLayout layout;

  FsListing(FsLayout layout) {
    this.layout = layout;
  }

  /**
   * Visits the artifacts of {@code runId} (of {@code stage} when present) whose path is at or after
   * {@code from} ({@code null}: from the first), in path order.
   */
  void walk(RunId runId, Optional<Stage> stage, LogicalPath from, Visitor visitor)
      throws IOException {
    Path runDir = layout.runDir(runId);
    if (!isRealDirectory(runDir)) {
      return;
    }
    String fromText = from == null ? null : from.toString();
    if (stage.isEmpty()) {
      walkDirectory(runDir, runId + "/", true, fromText, visitor);
      return;
    }
    Path stageDir = layout.stageDir(runId, stage.get());
    if (isRealDirectory(stageDir)) {
      walkDirectory(stageDir, runId + "/" + stage.get() + "/", false, fromText, visitor);
    }
  }

  private boolean walkDirectory(
      Path dir, String prefix, boolean runLevel, String from, Visitor visitor) throws IOException {
    for (Map.Entry<String, TreeSet<Integer>> entry : entries(dir, runLevel).entrySet()) {
      String key = entry.getKey();
      String full = prefix + key;
      if (key.endsWith("/")) {
        if (from != null && full.compareTo(from) < 0 && !from.startsWith(full)) {
          continue; // every path below sorts before the cursor
        }
        Path folder = dir.resolve(key.substring(0, key.length() - 1));
        if (isRealDirectory(folder) && !walkDirectory(folder, full, false, from, visitor)) {
          return false;
        }
      } else if (from == null || full.compareTo(from) >= 0) {
        Optional<LogicalPath> path = parse(full);
        if (path.isPresent() && !visitor.visit(path.get(), dir, List.copyOf(entry.getValue()))) {
          return false;
        }
      }
    }
    return true;
  }

  /**
   * A directory's entries as sort keys: {@code name/} for a folder (or a stage, at run level),
   * {@code name} with its generations for an artifact. Staging directories and anything else
   * foreign are left out.
   */
  private static TreeMap<String, TreeSet<Integer>> entries(Path dir, boolean runLevel)
      throws IOException {
    TreeMap<String, TreeSet<Integer>> keys = new TreeMap<>();
    Map<String, TreeSet<Integer>> hashed = new TreeMap<>();
    try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
      for (Path entry : stream) {
        String name = entry.getFileName().toString();
        if (runLevel) {
          if (isStageName(name)) {
            keys.put(name + "/", new TreeSet<>());
          }
          continue;
        }
        Optional<FsLayout.GenerationEntry> generation = FsLayout.parseGenerationEntry(name);
        if (generation.isPresent() && generation.get().hashed()) {
          hashed
              .computeIfAbsent(generation.get().stem(), k -> new TreeSet<>())
              .add(generation.get().generation());
        } else if (generation.isPresent()) {
          keys.computeIfAbsent(generation.get().stem(), k -> new TreeSet<>())
              .add(generation.get().generation());
        } else if (FsLayout.isFolderName(name)) {
          keys.put(name + "/", new TreeSet<>());
        }
      }
    }
    for (Map.Entry<String, TreeSet<Integer>> group : hashed.entrySet()) {
      Optional<String> fileName = hashedFileName(dir, group.getKey(), group.getValue());
      if (fileName.isEmpty()) {
        continue; // no generation says whose it is: foreign, like any unparsable entry
      }
      for (int generation : group.getValue()) {
        String canonical = FsLayout.generationDirName(fileName.get(), generation);
        if (canonical.equals(group.getKey() + "@" + generation)) {
          keys.computeIfAbsent(fileName.get(), k -> new TreeSet<>()).add(generation);
        }
      }
    }
    return keys;
  }

  /**
   * The file name behind the hashed generation directories {@code <stem>@<generation>}: the last
   * segment of the {@code path} recorded in one of their {@code meta.properties}, provided it
   * hashes to {@code stem}. Empty when none is readable (links are not followed).
   */
  private static Optional<String> hashedFileName(
      Path dir, String stem, TreeSet<Integer> generations) {
    for (int generation : generations) {
      Path meta = dir.resolve(stem + "@" + generation).resolve(FsLayout.META);
      try {
        if (!isRealDirectory(meta.getParent())) {
          continue;
        }
        Optional<BasicFileAttributes> attributes = FsLayout.lstat(meta);
        if (attributes.isEmpty()
            || !attributes.get().isRegularFile()
            || attributes.get().size() > MAX_METADATA_BYTES) {
          continue;
        }
        Properties properties = new Properties();
        try (Reader in =
            new InputStreamReader(
                Files.newInputStream(meta, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS),
                UTF_8)) {
          properties.load(in);
        }
        String fileName = LogicalPath.parse(properties.getProperty("path", "")).fileName();
        if (FsLayout.hashedStem(fileName).equals(stem)) {
          return Optional.of(fileName);
        }
      } catch (IOException | IllegalArgumentException unreadable) {
        // try the next generation; the read of the version itself reports what is wrong
      }
    }
    return Optional.empty();
  }

  private static boolean isStageName(String name) {
    try {
      Stage.parse(name);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static Optional<LogicalPath> parse(String text) {
    try {
      return Optional.of(LogicalPath.parse(text));
    } catch (IllegalArgumentException e) {
      return Optional.empty(); // not a name this store could have written (e.g. too long)
    }
  }

  private static boolean isRealDirectory(Path dir) throws IOException {
    Optional<BasicFileAttributes> attributes = FsLayout.lstat(dir);
    return attributes.isPresent()
        && attributes.get().isDirectory()
        && !attributes.get().isSymbolicLink();
  }

  // ---- cursors: opaque base64url of "L|<path>" (latest listing) or "V|<path>|<generation>"

  static String latestCursor(LogicalPath last) {
    return CURSORS.encode(LATEST_CURSOR, last);
  }

  static String versionsCursor(LogicalPath last, int generation) {
    return CURSORS.encode(VERSIONS_CURSOR, last, generation);
  }

  /** Parses a cursor this store issued for a listing of {@code runId} (and {@code stage}). */
  static Cursor parseCursor(String cursor, boolean versions, RunId runId, Optional<Stage> stage) {
    PageCursorCodec.Fields fields =
        versions
            ? CURSORS.decodeTagged(cursor, VERSIONS_CURSOR, 2)
            : CURSORS.decodeTagged(cursor, LATEST_CURSOR, 1);
    int generation = versions ? fields.intAt(1) : 0;
    LogicalPath path;
    try {
      path = LogicalPath.parse(fields.get(0));
    } catch (IllegalArgumentException e) {
      throw CURSORS.refused(cursor);
    }
    if (!path.runId().equals(runId) || (stage.isPresent() && !path.stage().equals(stage.get()))) {
      throw CURSORS.refused(cursor);
    }
    return new Cursor(path, generation);
  }

  /** Collects a page: the items and whether more remain. */
  static final class PageBuilder<T> {
    private final int limit;
    private final List<T> items = new ArrayList<>();
    private boolean more;

    PageBuilder(int limit) {
      this.limit = limit;
    }

    /** Whether another item fits; if not, records that the listing has more. */
    boolean hasRoom() {
      if (items.size() < limit) {
        return true;
      }
      more = true;
      return false;
    }

    void add(T item) {
      items.add(item);
    }

    List<T> items() {
      return items;
    }

    boolean more() {
      return more;
    }
  }
}
