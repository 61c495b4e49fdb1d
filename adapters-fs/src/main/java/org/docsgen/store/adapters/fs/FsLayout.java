package org.docsgen.store.adapters.fs;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.docsgen.store.domain.artifact.LogicalPath;
import org.docsgen.store.domain.run.RunId;
import org.docsgen.store.domain.run.Stage;
import org.docsgen.store.ports.error.BackendUnavailableException;

/**
 * Where things live under the root (see {@code docs/storage-layout.md}):
 *
 * <pre>
 * &lt;root&gt;/docsgen-fs-store.properties          layout marker (format=docsgen-fs-store/1)
 * &lt;root&gt;/&lt;runId&gt;/&lt;stage&gt;/[&lt;folder&gt;/…]&lt;file&gt;@&lt;generation&gt;/content          the bytes
 * &lt;root&gt;/&lt;runId&gt;/&lt;stage&gt;/[&lt;folder&gt;/…]&lt;file&gt;@&lt;generation&gt;/meta.properties  the metadata
 * &lt;root&gt;/&lt;runId&gt;/&lt;stage&gt;/[&lt;folder&gt;/…]~tmp-&lt;uuid&gt;/                   a write in progress
 * </pre>
 *
 * When {@code <file>@<generation>} would exceed the file system's 255-byte name limit, the
 * generation directory is {@code <first 100 chars>@sha256-<hex of file>@<generation>} instead (see
 * {@link #generationDirName}).
 *
 * <p>Logical path segments are {@code [A-Za-z0-9._-]+}, so names holding {@code @} or {@code ~}
 * never collide with an artifact or folder name. The layout checks here refuse any symbolic link
 * (or entry of the wrong kind) between the root and what an operation touches.
 */
final class FsLayout {
  static final String MARKER = "docsgen-fs-store.properties";
  static final String MARKER_FORMAT = "docsgen-fs-store/1";

  /**
   * The marker of a root that holds packed generations ({@code ~packs/}): a store that does not
   * know them must not open it (it would miss those versions). Written when {@code ~packs/} is
   * first created; a root nobody packed into keeps {@link #MARKER_FORMAT}.
   */
  static final String PACKED_MARKER_FORMAT = "docsgen-fs-store/2";

  static final String STAGING_PREFIX = "~tmp-";
  static final String HEALTH_PREFIX = "~health-";
  static final String CONTENT = "content";
  static final String META = "meta.properties";

  /** The longest entry name a file system takes ({@code NAME_MAX} of ext4, xfs, btrfs, tmpfs…). */
  static final int MAX_ENTRY_BYTES = 255;

  /** How much of an over-long file name its hashed generation directories keep readable. */
  static final int HASHED_PREFIX_CHARS = 100;

  private static final String HASHED_MARK = "@sha256-";
  private static final Pattern GENERATION_ENTRY =
      Pattern.compile("([A-Za-z0-9._-]+)@([1-9][0-9]{0,9})");
  private static final Pattern HASHED_ENTRY =
      Pattern.compile(
          "([A-Za-z0-9._-]{" + HASHED_PREFIX_CHARS + "}@sha256-[0-9a-f]{64})@([1-9][0-9]{0,9})");
  private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9._-]+");

  // Directories whose entry in their parent this process has fsynced (or created and fsynced):
  // the next write through them needs no sync for them. Bounded; forgetting costs one sync.
  private static final int MAX_KNOWN_DURABLE = 65_536;

  private final Path root;
  private final Set<Path> knownDurable = ConcurrentHashMap.newKeySet();

  /** {@code realRoot} must be the root's real path (symbolic links resolved). */
  FsLayout(Path realRoot) {
    this.root = requireNonNull(realRoot, "realRoot is null");
  }

  /**
   * Creates {@code root} and its missing ancestors, then fsyncs the root and its ancestors, so that
   * whoever created them (this start, another instance starting now, a tool that never syncs) their
   * entries are durable before anything is written below them. The root, its parent and the parent
   * of every directory created here must sync; higher ancestors are best effort (old, and durable
   * already unless created a moment ago by someone else; possibly not readable).
   */
  static void createRootDurably(Path root) throws IOException {
    Deque<Path> missing = new ArrayDeque<>();
    for (Path dir = root.toAbsolutePath(); dir != null && !Files.isDirectory(dir); ) {
      missing.push(dir);
      dir = dir.getParent();
    }
    for (Path dir : missing) {
      try {
        Files.createDirectory(dir);
      } catch (FileAlreadyExistsException raced) {
        if (!Files.isDirectory(dir)) {
          throw raced;
        }
      }
      forceDirectory(dir.getParent().toRealPath());
    }
    // the real path: the root may be reached through a link
    Path real = root.toRealPath();
    forceDirectory(real);
    Path parent = real.getParent();
    if (parent == null) {
      return;
    }
    forceDirectory(parent);
    for (Path dir = parent.getParent(); dir != null; dir = dir.getParent()) {
      try {
        forceDirectory(dir);
      } catch (IOException notReadable) {
        // an old ancestor this start did not create, and cannot open: nothing to make durable
      }
    }
  }

  Path root() {
    return root;
  }

  Path runDir(RunId runId) {
    return root.resolve(runId.toString());
  }

  Path stageDir(RunId runId, Stage stage) {
    return runDir(runId).resolve(stage.toString());
  }

  /** The directory holding the generation directories of {@code path}. */
  Path parentDir(LogicalPath path) {
    Path dir = stageDir(path.runId(), path.stage());
    List<String> folders = List.of(path.name().split("/"));
    for (String folder : folders.subList(0, folders.size() - 1)) {
      dir = dir.resolve(folder);
    }
    return dir;
  }

  /**
   * {@code <file>@<generation>} when that fits in {@link #MAX_ENTRY_BYTES}; otherwise (a file name
   * of 245 bytes or more, at a generation whose digits push it over) the fixed-length hashed form
   * {@code <first 100 chars>@sha256-<hex of the file name>@<generation>}, whose real name is the
   * {@code path} of its {@code meta.properties}. So every name that ever fitted keeps its readable
   * entry (and the entries written before the hashed form existed stay where they are), and no
   * valid name fails on a file system's name limit. Names are ASCII: chars = bytes.
   */
  static String generationDirName(LogicalPath path, int generation) {
    return generationDirName(path.fileName(), generation);
  }

  /** {@link #generationDirName(LogicalPath, int)} of a path whose file name is {@code file}. */
  static String generationDirName(String file, int generation) {
    String plain = file + "@" + generation;
    return plain.length() <= MAX_ENTRY_BYTES ? plain : hashedStem(file) + "@" + generation;
  }

  /** The part before {@code @<generation>} of a hashed generation directory of {@code fileName}. */
  static String hashedStem(String fileName) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(fileName.getBytes(StandardCharsets.UTF_8));
      return fileName.substring(0, Math.min(HASHED_PREFIX_CHARS, fileName.length()))
          + HASHED_MARK
          + HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }

  Path generationDir(LogicalPath path, int generation) {
    return parentDir(path).resolve(generationDirName(path, generation));
  }

  /**
   * A generation directory entry name, parsed: {@code docsgen.md@3} → (docsgen.md, 3, plain); a
   * hashed one → (its stem {@code <prefix>@sha256-<hex>}, generation, hashed). A hashed stem is not
   * the file name: the name is in the generation's {@code meta.properties}.
   */
  record GenerationEntry(String stem, int generation, boolean hashed) {}

  static Optional<GenerationEntry> parseGenerationEntry(String entryName) {
    boolean hashed = false;
    Matcher m = GENERATION_ENTRY.matcher(entryName);
    if (!m.matches()) {
      m = HASHED_ENTRY.matcher(entryName);
      if (!m.matches()) {
        return Optional.empty();
      }
      hashed = true;
    }
    if (isDotName(m.group(1))) {
      return Optional.empty();
    }
    long generation = Long.parseLong(m.group(2));
    if (generation > Integer.MAX_VALUE) {
      return Optional.empty();
    }
    return Optional.of(new GenerationEntry(m.group(1), (int) generation, hashed));
  }

  /** Whether an entry name can be a folder of a logical path (not staging, not a generation). */
  static boolean isFolderName(String entryName) {
    return SEGMENT.matcher(entryName).matches() && !isDotName(entryName);
  }

  private static boolean isDotName(String name) {
    return name.equals(".") || name.equals("..");
  }

  /** {@code dir} relative to the root, for messages (never the server's absolute path). */
  String relative(Path dir) {
    return root.relativize(dir).toString();
  }

  /**
   * Walks from the root to {@code dir}, checking that every component is a real directory (not a
   * symbolic link, not a file). With {@code create}, missing components are created, and every
   * component's entry in its parent is made durable (see {@link #makeEntryDurable}) before the
   * caller writes below it. Returns whether {@code dir} exists.
   *
   * @throws org.docsgen.store.ports.error.IntegrityException a component is a link or a file
   */
  boolean verifyDirectories(Path dir, LogicalPath path, boolean create) throws IOException {
    Path current = root;
    for (Path name : root.relativize(dir)) {
      Path next = current.resolve(name);
      Optional<BasicFileAttributes> attributes = lstat(next);
      if (attributes.isEmpty()) {
        if (!create) {
          return false;
        }
        attributes = createDirectory(next);
      }
      requireRealDirectory(attributes.get(), next, path);
      if (create) {
        makeEntryDurable(next, current);
      }
      current = next;
    }
    return true;
  }

  /**
   * {@link #verifyDirectories verifyDirectories(dir, path, true)} for a write whose {@link
   * #deepestExistingDirectory} walk found {@code verified} (an ancestor of {@code dir}, or {@code
   * dir} itself) and every component above it to be real directories: those are not looked at
   * again, only made durable ({@link #makeEntryDurable}, which costs nothing once a directory is
   * known durable); the components below {@code verified} are checked and created as there.
   *
   * <p>Why a second look is not needed: the write's staging directory has been inside {@code
   * verified} since before its body, so none of these directories can have been removed (they are
   * not empty); they can only have been renamed away or swapped for a link while the body arrived,
   * which is the documented limit of the link checks (docs/decisions.md § adapters-fs, "Links are
   * never followed inside the root": links planted beforehand are refused, a directory swapped
   * while a write runs is not defended against — a second look narrowed that window, it never
   * closed it).
   */
  void createDirectories(Path dir, LogicalPath path, Path verified) throws IOException {
    Path current = root;
    boolean alreadyChecked = !verified.equals(root);
    for (Path name : root.relativize(dir)) {
      Path next = current.resolve(name);
      if (!alreadyChecked) {
        Optional<BasicFileAttributes> attributes = lstat(next);
        if (attributes.isEmpty()) {
          attributes = createDirectory(next);
        }
        requireRealDirectory(attributes.get(), next, path);
      }
      makeEntryDurable(next, current);
      if (next.equals(verified)) {
        alreadyChecked = false;
      }
      current = next;
    }
  }

  /**
   * The deepest directory on the way from the root to {@code dir} that exists ({@code dir} itself
   * when it does, the root at least), checking every component found as {@link #verifyDirectories}
   * does. Creates nothing: a write stages its body there, so a body that never arrives leaves no
   * new folder behind.
   *
   * @throws org.docsgen.store.ports.error.IntegrityException a component is a link or a file
   */
  Path deepestExistingDirectory(Path dir, LogicalPath path) throws IOException {
    Path current = root;
    for (Path name : root.relativize(dir)) {
      Path next = current.resolve(name);
      Optional<BasicFileAttributes> attributes = lstat(next);
      if (attributes.isEmpty()) {
        return current;
      }
      requireRealDirectory(attributes.get(), next, path);
      current = next;
    }
    return current;
  }

  /**
   * Creates {@code dir} in {@code parent} unless it is there, refuses anything but a real directory
   * there, and makes its entry durable (the parent synced, whoever created it).
   */
  static void createDirectoryDurably(Path parent, Path dir) throws IOException {
    Optional<BasicFileAttributes> attributes = createDirectory(dir);
    if (attributes.isEmpty()
        || attributes.get().isSymbolicLink()
        || !attributes.get().isDirectory()) {
      throw new IOException(dir + " is not a directory");
    }
    forceDirectory(parent);
  }

  private static Optional<BasicFileAttributes> createDirectory(Path dir) throws IOException {
    try {
      Files.createDirectory(dir);
    } catch (FileAlreadyExistsException raced) {
      // another writer created it (or planted something there): the caller checks what it is
    }
    return lstat(dir);
  }

  /**
   * Makes {@code dir}'s entry in {@code parent} durable before a write below it is acknowledged:
   * whether this writer created it, lost the race to create it, or found it made by a writer (in
   * this process or another, or before a crash) that may not have synced the parent yet — seeing a
   * directory says nothing about whether a power cut keeps it. Once per directory and process.
   */
  private void makeEntryDurable(Path dir, Path parent) throws IOException {
    if (knownDurable.contains(dir)) {
      return;
    }
    forceDirectory(parent);
    if (knownDurable.size() >= MAX_KNOWN_DURABLE) {
      knownDurable.clear();
    }
    knownDurable.add(dir);
  }

  /** Refuses anything but a real directory at {@code entry}. */
  void requireRealDirectory(BasicFileAttributes attributes, Path entry, LogicalPath path) {
    if (attributes.isSymbolicLink()) {
      throw FsErrors.notFollowed(path, relative(entry), "a symbolic link");
    }
    if (!attributes.isDirectory()) {
      throw FsErrors.notFollowed(path, relative(entry), "not a directory");
    }
  }

  /** Refuses anything but a regular file at {@code entry}. */
  void requireRegularFile(BasicFileAttributes attributes, Path entry, LogicalPath path) {
    if (attributes.isSymbolicLink()) {
      throw FsErrors.notFollowed(path, relative(entry), "a symbolic link");
    }
    if (!attributes.isRegularFile()) {
      throw FsErrors.notFollowed(path, relative(entry), "not a regular file");
    }
  }

  /**
   * What a read needs of a {@code content} or {@code meta.properties} file: its kind, size and
   * identity (device, inode, size, change time; for content, the identity {@link VerifiedReads}
   * keys on). The change time moves with every write, truncation, rename or link of the file and
   * cannot be set back by a user, so an equal identity means the same file, unchanged.
   */
  record FileAttributes(
      boolean symbolicLink, boolean regularFile, long size, VerifiedReads.Identity identity) {}

  /** A file's own attributes (one {@code lstat}), or empty when there is none. */
  static Optional<FileAttributes> fileAttributes(Path file) throws IOException {
    Map<String, Object> unix;
    try {
      unix =
          Files.readAttributes(
              file,
              "unix:isSymbolicLink,isRegularFile,size,ctime,dev,ino",
              LinkOption.NOFOLLOW_LINKS);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
    long size = (Long) unix.get("size");
    long changed = ((FileTime) unix.get("ctime")).to(TimeUnit.NANOSECONDS);
    VerifiedReads.Identity identity =
        new VerifiedReads.Identity(unix.get("dev") + ":" + unix.get("ino"), size, changed);
    return Optional.of(
        new FileAttributes(
            (Boolean) unix.get("isSymbolicLink"),
            (Boolean) unix.get("isRegularFile"),
            size,
            identity));
  }

  /** Refuses anything but a regular file at {@code entry}. */
  void requireRegularFile(FileAttributes attributes, Path entry, LogicalPath path) {
    if (attributes.symbolicLink()) {
      throw FsErrors.notFollowed(path, relative(entry), "a symbolic link");
    }
    if (!attributes.regularFile()) {
      throw FsErrors.notFollowed(path, relative(entry), "not a regular file");
    }
  }

  /**
   * False only when there is surely no usable entry at {@code entry}: nothing there, or a link to
   * nothing (which a write then meets at its exclusive rename, and refuses). One {@code stat} and
   * no exception, so the common "not there yet" of a new generation costs no stack trace; when
   * true, {@link #lstat} says what the entry is.
   */
  static boolean mayExist(Path entry) {
    return entry.toFile().exists();
  }

  /**
   * A fresh staging name: this process's random tag (drawn once) and a counter, so names never
   * repeat across processes or restarts, without a {@code SecureRandom} draw per write.
   */
  static String stagingName() {
    return STAGING_PREFIX
        + PROCESS_TAG
        + "-"
        + Long.toString(STAGING_COUNTER.incrementAndGet(), 36);
  }

  private static final String PROCESS_TAG = UUID.randomUUID().toString();
  private static final AtomicLong STAGING_COUNTER = new AtomicLong();

  /** The entry's own attributes (links not followed), or empty when there is none. */
  static Optional<BasicFileAttributes> lstat(Path entry) throws IOException {
    try {
      return Optional.of(
          Files.readAttributes(entry, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
  }

  /**
   * Writes the layout marker when the root has none (atomically: an identical file renamed into
   * place, so concurrent starts agree), and refuses a root written in another layout.
   */
  void ensureMarker() throws IOException {
    Path marker = root.resolve(MARKER);
    for (int attempt = 1; lstat(marker).isEmpty(); attempt++) {
      try {
        writeMarker(root, MARKER_FORMAT, false);
      } catch (NoSuchFileException sweptByAnotherStart) {
        if (attempt >= 3) {
          throw sweptByAnotherStart;
        }
      }
    }
    String format = markerFormat(root);
    if (!MARKER_FORMAT.equals(format) && !PACKED_MARKER_FORMAT.equals(format)) {
      throw new BackendUnavailableException(
          FsErrors.BACKEND,
          "the artifact root holds layout '"
              + format
              + "' but this store reads "
              + MARKER_FORMAT
              + " and "
              + PACKED_MARKER_FORMAT
              + "; point artifacts.fs.root at a directory of this layout or an empty one",
          null);
    }
  }

  /** The {@code format} the root's marker names. */
  static String markerFormat(Path root) throws IOException {
    Properties properties = new Properties();
    try (InputStream in =
        Files.newInputStream(
            root.resolve(MARKER), StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
      properties.load(new InputStreamReader(in, StandardCharsets.UTF_8));
    }
    return properties.getProperty("format");
  }

  /**
   * Writes the marker naming {@code format} durably: a synced file renamed into place ({@code
   * replace}: over the one there; else only where there is none), then the root synced.
   */
  static void writeMarker(Path root, String format, boolean replace) throws IOException {
    byte[] bytes = ("format=" + format + "\n").getBytes(StandardCharsets.UTF_8);
    Path temp = root.resolve(stagingName());
    try {
      try (FileChannel channel =
          FileChannel.open(
              temp,
              StandardOpenOption.CREATE_NEW,
              StandardOpenOption.WRITE,
              LinkOption.NOFOLLOW_LINKS)) {
        channel.write(ByteBuffer.wrap(bytes));
        channel.force(true);
      }
      if (replace || lstat(root.resolve(MARKER)).isEmpty()) {
        Files.move(temp, root.resolve(MARKER), StandardCopyOption.ATOMIC_MOVE);
      }
      forceDirectory(root);
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  /** Makes the entries of {@code dir} (creations, renames) durable. */
  static void forceDirectory(Path dir) throws IOException {
    try (FileChannel channel =
        FileChannel.open(dir, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
      channel.force(true);
    }
  }
}
