package org.docsgen.store.adapters.fs;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;
import java.util.zip.CRC32C;
import org.docsgen.store.domain.artifact.ArtifactInfo;
import org.docsgen.store.domain.artifact.ContentHash;
import org.docsgen.store.domain.artifact.LogicalPath;
import org.docsgen.store.ports.error.IntegrityException;

/**
 * The packed generations of one artifact root: small artifacts kept in append-only segment files
 * under {@code <root>/~packs/}, many of them made durable by one {@code fdatasync}
 * (docs/storage-layout.md § "Packed generations" has the format; docs/decisions.md § adapters-fs
 * "Small artifacts are packed" the reasons).
 *
 * <p><b>Who decides.</b> Every publication of a generation of this root — packed or as a directory,
 * by any thread or process — is decided while holding the <em>publication lock</em>: this JVM's
 * lock and an exclusive {@code fcntl} lock on {@code ~packs/lock}. Under it the records other
 * processes appended are read first ({@link #catchUp}), so the decision sees every generation
 * published before, and a packed batch is written and synced before the lock is let go, so nothing
 * another writer can see under the lock is undurable.
 *
 * <p><b>Group commit.</b> Packed writes queue; one thread at a time (a pool of one, gone when idle)
 * takes every write waiting (up to {@link #MAX_BATCH}), decides each under the publication lock,
 * appends all records of the batch to this process's segment with one write, syncs it once, and
 * only then answers each writer. A failed write or sync fails every writer of the batch and retires
 * the segment: a segment is never appended to after a failure.
 *
 * <p><b>Segments.</b> Each process appends to a segment of its own ({@code <tag>-<n>.pack}), on
 * which it holds an exclusive {@code fcntl} lock while it may append; the kernel drops it when the
 * process dies, even after {@code kill -9}. A segment whose owner is gone is read once to its last
 * whole record and never looked at again. A record that is cut short or fails its CRC32C (a crash
 * while appending: never acknowledged) ends what is read of its segment.
 *
 * <p><b>Reads.</b> The index of packed versions is kept in memory, built by reading every segment
 * when the root is opened and kept current by this process's appends and by {@link #catchUp}. A
 * read takes the content with one {@code pread} and checks it: its CRC32C against the one taken
 * from verified bytes, while the segment file is the very file (device, inode, size, change time)
 * it was then, and otherwise its SHA-256 against the recorded hash. Never unverified bytes.
 *
 * <p>One instance per root and JVM ({@link #of}), shared by every store open on that root: the
 * {@code fcntl} locks belong to the process, so two instances in one JVM could not exclude each
 * other.
 */
final class Packs {
  static final String DIR_NAME = "~packs";
  static final String LOCK_NAME = "lock";
  static final String SEGMENT_SUFFIX = ".pack";

  /** The largest content packed; larger artifacts are generation directories. */
  static final int MAX_PACKED_BYTES = 64 * 1024;

  static final int MAGIC = 0x44475031; // "DGP1"
  static final byte VERSION = 'V';
  static final byte REMOVAL = 'X';
  static final int HEADER_BYTES = 13; // magic, length, kind, metadata length
  static final int CRC_BYTES = 4;
  private static final int MAX_METADATA_BYTES = 64 * 1024;
  private static final int MAX_RECORD_BYTES =
      HEADER_BYTES + MAX_METADATA_BYTES + MAX_PACKED_BYTES + CRC_BYTES;
  private static final long ROLL_BYTES = 1L << 30;
  static final int MAX_BATCH = 128;

  // weakly: the packs of a root no store uses any more are collected, their files closed
  private static final Map<Path, java.lang.ref.WeakReference<Packs>> OPEN =
      new ConcurrentHashMap<>();

  private final Path root;
  private final Path dir;
  private final String tag = UUID.randomUUID().toString().replace("-", "").substring(0, 16);
  private final AtomicInteger segmentCounter = new AtomicInteger();
  private final ReentrantLock publication = new ReentrantLock();
  private volatile FileChannel lockChannel; // opened at the first publication
  private Object lockFileKey; // its device and inode; guarded by publication
  private final Object scanLock = new Object();
  private final Map<String, Segment> segments = new HashMap<>(); // guarded by scanLock
  private FileTime listedAt; // guarded by scanLock
  private long listedAtMillis; // guarded by scanLock
  private static final long SETTLED_MILLIS = 2_000;
  private final ConcurrentSkipListMap<String, NavigableMap<Integer, Entry>> index =
      new ConcurrentSkipListMap<>();
  // the records (Entry#location) removal records named: a version read after its removal (another
  // process's segment read later) is not indexed
  private final java.util.Set<String> removed = ConcurrentHashMap.newKeySet();
  private final ConcurrentLinkedQueue<Pending> queue = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean draining = new AtomicBoolean();
  private final ThreadPoolExecutor committer;
  private final LongAdder wholeHashes = new LongAdder();
  private Segment own; // the segment this process appends to; guarded by publication

  private Packs(Path root) throws IOException {
    this.root = root;
    this.dir = root.resolve(DIR_NAME);
    this.committer =
        new ThreadPoolExecutor(
            1,
            1,
            5,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(),
            task -> {
              Thread thread = new Thread(task, "docsgen-fs-packs");
              thread.setDaemon(true);
              return thread;
            });
    committer.allowCoreThreadTimeOut(true);
    catchUp();
  }

  /**
   * The packs of the root at {@code root} (its real path): one per JVM while any store holds it.
   */
  static Packs of(Path root) throws IOException {
    synchronized (OPEN) {
      java.lang.ref.WeakReference<Packs> held = OPEN.get(root);
      Packs packs = held == null ? null : held.get();
      if (packs == null) {
        packs = new Packs(root);
        OPEN.values().removeIf(r -> r.get() == null);
        OPEN.put(root, new java.lang.ref.WeakReference<>(packs));
      }
      return packs;
    }
  }

  // ---- the index

  /** A packed version: where its content lies, and what this process has verified of it. */
  static final class Entry {
    private final ArtifactInfo info;
    private final Segment segment;
    private final long recordOffset;
    private final long contentOffset;
    private final boolean damaged;
    private volatile Verified verified;

    private Entry(
        ArtifactInfo info,
        Segment segment,
        long recordOffset,
        long contentOffset,
        Verified verified,
        boolean damaged) {
      this.info = info;
      this.segment = segment;
      this.recordOffset = recordOffset;
      this.contentOffset = contentOffset;
      this.verified = verified;
      this.damaged = damaged;
    }

    ArtifactInfo info() {
      return info;
    }

    /** Where its record is: {@code <segment file name>@<offset>}, what a removal names. */
    String location() {
      return segment.name + "@" + recordOffset;
    }
  }

  /** A CRC32C taken from verified bytes, and the segment's trust epoch then. */
  private record Verified(int crc, long epoch) {}

  /** One generation of {@code path}, if packed (as this process knows it now). */
  Optional<Entry> find(LogicalPath path, int generation) {
    NavigableMap<Integer, Entry> versions = index.get(path.toString());
    return versions == null ? Optional.empty() : Optional.ofNullable(versions.get(generation));
  }

  /** The highest packed generation of {@code path}, or empty. */
  Optional<Entry> latest(LogicalPath path) {
    NavigableMap<Integer, Entry> versions = index.get(path.toString());
    if (versions == null || versions.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(versions.lastEntry().getValue());
  }

  /**
   * The packed versions whose path starts with {@code prefix} and sorts after {@code after} (null:
   * from the first; {@code includeAfter}: that path too), in path order, each path's generations
   * ascending.
   */
  NavigableMap<String, NavigableMap<Integer, Entry>> paths(
      String prefix, String after, boolean includeAfter) {
    NavigableMap<String, NavigableMap<Integer, Entry>> tail =
        after == null || after.compareTo(prefix) < 0
            ? index.tailMap(prefix, true)
            : index.tailMap(after, includeAfter);
    return tail.headMap(prefix + Character.MAX_VALUE, false);
  }

  private void put(Entry entry) {
    if (removed.contains(entry.location())) {
      return; // a removal read before the version it removes (another process's segment)
    }
    index.compute(
        entry.info.path().toString(),
        (key, versions) -> {
          TreeMap<Integer, Entry> copy =
              versions == null ? new TreeMap<>() : new TreeMap<>(versions);
          copy.put(entry.info.generation(), entry);
          return copy;
        });
  }

  /**
   * Drops the version whose record is at {@code location} ({@code <segment>@<offset>}), and no
   * other: not a later version of the same generation written after the removal.
   */
  private void remove(ArtifactInfo info, String location) {
    removed.add(location);
    index.computeIfPresent(
        info.path().toString(),
        (key, versions) -> {
          Entry entry = versions.get(info.generation());
          if (entry == null || !entry.location().equals(location)) {
            return versions;
          }
          TreeMap<Integer, Entry> copy = new TreeMap<>(versions);
          copy.remove(info.generation());
          return copy.isEmpty() ? null : copy;
        });
  }

  // ---- reading other processes' records

  /**
   * Reads what other processes have appended since the last look: new segments (seen when the
   * directory changed) and new records of segments whose owner may still append. Cheap when nothing
   * changed: one {@code lstat} of the directory and one size check per live segment.
   */
  void catchUp() throws IOException {
    catchUp(false);
  }

  /**
   * {@link #catchUp}; {@code listAlways}: list the directory even if its modification time has not
   * moved (for decisions: a file system with coarse timestamps could hide a segment created in the
   * same tick as the last listing).
   */
  private void catchUp(boolean listAlways) throws IOException {
    synchronized (scanLock) {
      Optional<BasicFileAttributes> attributes = FsLayout.lstat(dir);
      if (attributes.isEmpty() || !attributes.get().isDirectory()) {
        return; // nothing packed yet (anything but a directory there is not ours)
      }
      FileTime changed = attributes.get().lastModifiedTime();
      // a directory's time moves when a segment is created, but by ticks that may be coarse (a
      // second on some file systems): a listing taken within a tick of the last change could miss
      // a segment created in the same tick, so unless the last change lies well before the last
      // listing, list again
      boolean settled =
          changed.equals(listedAt) && listedAtMillis - changed.toMillis() >= SETTLED_MILLIS;
      if (listAlways || !settled) {
        long now = System.currentTimeMillis();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, "*" + SEGMENT_SUFFIX)) {
          for (Path file : entries) {
            String name = file.getFileName().toString();
            if (!segments.containsKey(name)) {
              Optional<FileChannel> channel = openForReading(file);
              if (channel.isPresent()) {
                segments.put(name, new Segment(name, file, channel.get(), false));
              }
            }
          }
        }
        listedAt = changed;
        listedAtMillis = now;
      }
      for (Segment segment : segments.values()) {
        if (!segment.own && !segment.sealed) {
          scan(segment);
        }
      }
    }
  }

  private static Optional<FileChannel> openForReading(Path file) throws IOException {
    Optional<BasicFileAttributes> attributes = FsLayout.lstat(file);
    if (attributes.isEmpty() || !attributes.get().isRegularFile()) {
      return Optional.empty(); // not ours to read: a link or anything else is ignored
    }
    try {
      return Optional.of(
          FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
  }

  /** Reads a foreign segment's records from where the last scan stopped. */
  private void scan(Segment segment) throws IOException {
    boolean ownerGone = ownerGone(segment);
    long size = segment.channel.size();
    if (size == segment.end && !ownerGone) {
      return;
    }
    ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES);
    while (segment.end + HEADER_BYTES + CRC_BYTES <= size) {
      Object read = readRecord(segment, segment.end, size, header);
      if (read instanceof Record record) {
        apply(segment, record);
        segment.end += record.length;
      } else if (read instanceof Skipped skipped) {
        segment.end += skipped.length;
      } else {
        break; // cut short: an append that was never acknowledged (or one still being written)
      }
    }
    // another process's appends (or anything else) changed the file: what was verified in it
    // before is checked again with SHA-256 on its next read
    segment.distrust();
    if (ownerGone) {
      segment.sealed = true;
    }
  }

  private static boolean ownerGone(Segment segment) throws IOException {
    try {
      FileLock lock = segment.channel.tryLock(0, Long.MAX_VALUE, true);
      if (lock == null) {
        return false;
      }
      lock.release();
      return true;
    } catch (OverlappingFileLockException e) {
      return false;
    }
  }

  /**
   * A decoded record: its kind, metadata, where its content starts, its total length; {@code
   * damaged}: it fails its CRC32C although records follow it (below).
   */
  private record Record(
      byte kind,
      ArtifactInfo info,
      long offset,
      long contentOffset,
      int length,
      boolean damaged,
      String removes) {}

  /** A record's frame is sound but its bytes are not: skip {@code length} bytes to the next. */
  private record Skipped(int length) {}

  /**
   * The record at {@code position}: a {@link Record}, a {@link Skipped} one, or null where reading
   * this segment ends.
   *
   * <p>A record that fails its CRC32C is either the last of the segment — an append a crash cut
   * (never acknowledged: acknowledgements follow the sync) — or one followed by a record: then it
   * was whole when a later append was synced behind it, and its bytes changed on disk since. The
   * first ends the segment. The second is kept as a damaged version when its metadata still reads
   * (so its reads and {@code fsck} report an integrity failure instead of it silently vanishing),
   * else skipped; either way the records after it are read.
   */
  private static Object readRecord(Segment segment, long position, long size, ByteBuffer header)
      throws IOException {
    header.clear();
    readFully(segment.channel, header, position);
    header.flip();
    int magic = header.getInt();
    int length = header.getInt();
    byte kind = header.get();
    int metadataLength = header.getInt();
    if (magic != MAGIC
        || length < HEADER_BYTES + CRC_BYTES
        || length > MAX_RECORD_BYTES
        || position + length > size) {
      return null;
    }
    ByteBuffer whole = ByteBuffer.allocate(length);
    readFully(segment.channel, whole, position);
    byte[] bytes = whole.array();
    CRC32C crc = new CRC32C();
    crc.update(bytes, 0, length - CRC_BYTES);
    boolean damaged =
        (int) crc.getValue() != ByteBuffer.wrap(bytes, length - CRC_BYTES, CRC_BYTES).getInt();
    if (damaged && !recordFollows(segment, position + length, size)) {
      return null;
    }
    if ((kind != VERSION && kind != REMOVAL)
        || metadataLength < 0
        || metadataLength > length - HEADER_BYTES - CRC_BYTES) {
      return damaged ? new Skipped(length) : null;
    }
    byte[] metadata = new byte[metadataLength];
    System.arraycopy(bytes, HEADER_BYTES, metadata, 0, metadataLength);
    ArtifactInfo info;
    try {
      info = decode(metadata);
    } catch (RuntimeException e) {
      return damaged ? new Skipped(length) : null;
    }
    long contentLength = length - HEADER_BYTES - metadataLength - CRC_BYTES;
    if (kind == VERSION && contentLength != info.size()) {
      return damaged ? new Skipped(length) : null;
    }
    if (damaged && kind == REMOVAL) {
      return new Skipped(length); // a damaged removal removes nothing: fsck reports the orphan
    }
    int contentStart = HEADER_BYTES + metadataLength;
    String removes =
        kind == REMOVAL
            ? new String(
                bytes,
                contentStart,
                (int) contentLength,
                java.nio.charset.StandardCharsets.US_ASCII)
            : null;
    return new Record(kind, info, position, position + contentStart, length, damaged, removes);
  }

  /** Whether a record's magic starts at {@code position} (before {@code size}). */
  private static boolean recordFollows(Segment segment, long position, long size)
      throws IOException {
    if (position + HEADER_BYTES + CRC_BYTES > size) {
      return false;
    }
    ByteBuffer magic = ByteBuffer.allocate(4);
    readFully(segment.channel, magic, position);
    return magic.getInt(0) == MAGIC;
  }

  private void apply(Segment segment, Record record) {
    if (record.kind == REMOVAL) {
      remove(record.info, record.removes);
    } else {
      put(
          new Entry(
              record.info, segment, record.offset, record.contentOffset, null, record.damaged));
    }
  }

  /** Decodes metadata that names its own path and generation. */
  static ArtifactInfo decode(byte[] metadata) {
    Properties p = new Properties();
    try {
      p.load(new StringReader(new String(metadata, UTF_8)));
    } catch (IOException e) {
      throw new IllegalArgumentException(e);
    }
    LogicalPath path = LogicalPath.parse(p.getProperty("path", ""));
    int generation = Integer.parseInt(p.getProperty("generation", ""));
    return MetadataFile.decode(metadata, path, generation);
  }

  private static void readFully(FileChannel channel, ByteBuffer buffer, long position)
      throws IOException {
    while (buffer.hasRemaining()) {
      int n = channel.read(buffer, position);
      if (n < 0) {
        throw new IOException("unexpected end of " + channel);
      }
      position += n;
    }
  }

  // ---- reading content

  /**
   * The content of {@code entry}, checked: its CRC32C against verified bytes' while the segment is
   * unchanged since, else its SHA-256 against the recorded hash.
   *
   * @throws IntegrityException the bytes are not the recorded ones
   */
  byte[] read(Entry entry) throws IOException {
    ArtifactInfo info = entry.info;
    Segment segment = entry.segment;
    if (entry.damaged) {
      throw new IntegrityException(
          info.path(),
          where(entry)
              + " fails its record's CRC32C: its bytes changed on disk after it was written");
    }
    byte[] bytes = new byte[(int) info.size()];
    readFully(segment.channel, ByteBuffer.wrap(bytes), entry.contentOffset);
    CRC32C crc = new CRC32C();
    crc.update(bytes, 0, bytes.length);
    int value = (int) crc.getValue();
    Trust trust = segment.trust();
    VerifiedReads.Identity now = segment.identityNow();
    boolean unchanged = now != null && now.equals(trust.identity);
    Verified verified = entry.verified;
    if (unchanged && verified != null && verified.epoch == trust.epoch && verified.crc == value) {
      return bytes;
    }
    wholeHashes.increment();
    ContentHash found = sha256(bytes);
    if (!found.equals(info.hash())) {
      throw new IntegrityException(
          info.path(), where(entry) + " has hash " + found + ", not the recorded " + info.hash());
    }
    if (!unchanged) {
      // the file changed since (another process appended, or anything else did): nothing verified
      // in it before counts any more; these bytes were just hashed against the recorded hash
      trust = segment.distrustAt(now);
    }
    entry.verified = new Verified(value, trust.epoch);
    return bytes;
  }

  /** "generation N (packed in ~packs/<segment>)", for messages. */
  private static String where(Entry entry) {
    return "generation "
        + entry.info.generation()
        + " (packed in "
        + DIR_NAME
        + "/"
        + entry.segment.name
        + ")";
  }

  /**
   * The content of {@code entry} as stored, unchecked: only for a probe that asks whether it is
   * there and of its size (never served as data).
   */
  byte[] readUnchecked(Entry entry) throws IOException {
    byte[] bytes = new byte[(int) entry.info.size()];
    readFully(entry.segment.channel, ByteBuffer.wrap(bytes), entry.contentOffset);
    return bytes;
  }

  /** Whole-content SHA-256 checks made by reads of packed versions (tests). */
  long wholeHashCount() {
    return wholeHashes.sum();
  }

  private static ContentHash sha256(byte[] bytes) {
    return ContentHash.sha256(bytes);
  }

  // ---- publishing

  /** Work done under the publication lock. */
  @FunctionalInterface
  interface LockedWork<T> {
    T run() throws IOException;
  }

  /**
   * Runs {@code work} holding the publication lock, after reading what other processes appended:
   * for a generation directory's publication (the decision, the rename and its syncs).
   */
  <T> T underPublicationLock(LockedWork<T> work) throws IOException {
    publication.lock();
    try {
      try (FileLock ignored = lockChannel().lock()) {
        catchUp(true);
        return work.run();
      }
    } finally {
      publication.unlock();
    }
  }

  /**
   * The lock file, with {@code ~packs/} made (durably) at the first publication: a root nobody has
   * written to holds only its marker. Called holding {@link #publication}.
   */
  private FileChannel lockChannel() throws IOException {
    if (lockChannel != null && !lockFileKey.equals(lockFileKeyNow())) {
      // ~packs/lock is gone or another file (the root moved, removed or replaced): a lock on the
      // old file excludes nobody; take the one at the path (made again if the root is there)
      FileChannel stale = lockChannel;
      lockChannel = null;
      stale.close();
    }
    if (lockChannel == null) {
      if (!FsLayout.PACKED_MARKER_FORMAT.equals(FsLayout.markerFormat(root))) {
        // first: a store that knows no packs must not open this root once anything is packed
        FsLayout.writeMarker(root, FsLayout.PACKED_MARKER_FORMAT, true);
      }
      FsLayout.createDirectoryDurably(root, dir);
      FileChannel channel =
          FileChannel.open(
              dir.resolve(LOCK_NAME),
              StandardOpenOption.CREATE,
              StandardOpenOption.WRITE,
              LinkOption.NOFOLLOW_LINKS);
      FsLayout.forceDirectory(dir);
      lockFileKey = lockFileKeyNow();
      lockChannel = channel;
    }
    return lockChannel;
  }

  /** The device and inode now at {@code ~packs/lock} (a fresh object when there is none). */
  private Object lockFileKeyNow() throws IOException {
    return FsLayout.fileAttributes(dir.resolve(LOCK_NAME))
        .filter(a -> a.regularFile() && !a.symbolicLink())
        .<Object>map(a -> a.identity().fileKey())
        .orElseGet(Object::new);
  }

  /** A packed write waiting for its batch. */
  interface PackedWrite {
    /** The path written. */
    LogicalPath path();

    /**
     * Under the publication lock, with every published generation known: the version to append, or
     * empty when nothing is to be appended (the write is settled without new bytes). May throw to
     * refuse.
     */
    Optional<ArtifactInfo> decide() throws IOException;

    /** The content, exactly {@code info.size()} bytes of it from offset 0. */
    byte[] content();

    /** The CRC32C of the content (taken as it arrived). */
    int crc();
  }

  private static final class Pending {
    final PackedWrite write;
    final CompletableFuture<Optional<Entry>> result = new CompletableFuture<>();
    ArtifactInfo decided;

    Pending(PackedWrite write) {
      this.write = write;
    }
  }

  /**
   * Appends {@code write}'s version in the next batch, durably: returns its entry once it is synced
   * and indexed, or empty when {@code decide} appended nothing. Rethrows what {@code decide} threw.
   */
  Optional<Entry> append(PackedWrite write) throws IOException {
    Pending pending = new Pending(write);
    queue.add(pending);
    if (draining.compareAndSet(false, true)) {
      committer.execute(this::drain);
    }
    try {
      return pending.result.join();
    } catch (CompletionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof IOException io) {
        throw io;
      }
      if (cause instanceof RuntimeException runtime) {
        throw runtime;
      }
      if (cause instanceof Error error) {
        throw error;
      }
      throw e;
    }
  }

  private void drain() {
    while (true) {
      List<Pending> batch = new ArrayList<>();
      for (Pending p; batch.size() < MAX_BATCH && (p = queue.poll()) != null; ) {
        batch.add(p);
      }
      if (batch.isEmpty()) {
        draining.set(false);
        // a write queued after the poll and before the flag was reset started no drain: take it
        if (queue.isEmpty() || !draining.compareAndSet(false, true)) {
          return;
        }
        continue;
      }
      commit(batch);
    }
  }

  private void commit(List<Pending> batch) {
    try {
      underPublicationLock(
          () -> {
            List<Pending> appended = new ArrayList<>(batch.size());
            java.util.Set<LogicalPath> inBatch = new java.util.HashSet<>();
            List<Pending> deferred = new ArrayList<>();
            for (Pending p : batch) {
              if (!inBatch.add(p.write.path())) {
                // a second write of one path waits for the next batch, to be decided against the
                // first one's outcome once that is durable and indexed
                deferred.add(p);
                continue;
              }
              try {
                Optional<ArtifactInfo> decided = p.write.decide();
                if (decided.isEmpty()) {
                  p.result.complete(Optional.empty());
                } else {
                  p.decided = decided.get();
                  appended.add(p);
                }
              } catch (IOException | RuntimeException e) {
                p.result.completeExceptionally(e);
              }
            }
            if (!appended.isEmpty()) {
              appendDurably(appended); // if this fails, the deferred fail with the batch
            }
            requeue(deferred);
            return null;
          });
    } catch (IOException | RuntimeException | Error e) {
      for (Pending p : batch) {
        p.result.completeExceptionally(e); // no effect on those already answered
      }
    }
  }

  private void requeue(List<Pending> deferred) {
    // behind anything queued since: fair enough, the queue is drained batch after batch
    queue.addAll(deferred);
  }

  /** Writes the batch's records with one write, syncs once, indexes, answers. */
  private void appendDurably(List<Pending> appended) throws IOException {
    Segment segment = ownSegment();
    List<ByteBuffer> records = new ArrayList<>(appended.size());
    long position = segment.end;
    long[] contentOffsets = new long[appended.size()];
    long[] recordOffsets = new long[appended.size()];
    for (int i = 0; i < appended.size(); i++) {
      Pending p = appended.get(i);
      ByteBuffer record = encode(VERSION, p.decided, p.write.content(), (int) p.decided.size());
      recordOffsets[i] = position;
      contentOffsets[i] = position + HEADER_BYTES + metadataLength(record);
      position += record.remaining();
      records.add(record);
    }
    try {
      segment.beforeAppend();
      ByteBuffer[] buffers = records.toArray(ByteBuffer[]::new);
      long expected = position - segment.end;
      long written = 0;
      segment.channel.position(segment.end);
      while (written < expected) {
        written += segment.channel.write(buffers);
      }
      segment.channel.force(false);
    } catch (IOException | RuntimeException e) {
      retire(segment);
      throw e;
    }
    segment.end = position;
    Trust trust = segment.afterAppend();
    for (int i = 0; i < appended.size(); i++) {
      Pending p = appended.get(i);
      Entry entry =
          new Entry(
              p.decided,
              segment,
              recordOffsets[i],
              contentOffsets[i],
              new Verified(p.write.crc(), trust.epoch),
              false);
      put(entry);
      p.result.complete(Optional.of(entry));
    }
  }

  /**
   * Appends a removal of {@code info}'s generation, durably, under the publication lock (the caller
   * holds it), and drops it from the index.
   */
  void appendRemovalLocked(Entry removed) throws IOException {
    ArtifactInfo info = removed.info;
    Segment segment = ownSegment();
    byte[] location = removed.location().getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    ByteBuffer record = encode(REMOVAL, info, location, location.length);
    long position = segment.end + record.remaining();
    try {
      segment.beforeAppend();
      long at = segment.end;
      while (record.hasRemaining()) {
        at += segment.channel.write(record, at);
      }
      segment.channel.force(false);
    } catch (IOException | RuntimeException e) {
      retire(segment);
      throw e;
    }
    segment.end = position;
    segment.afterAppend();
    remove(info, removed.location());
  }

  private static int metadataLength(ByteBuffer record) {
    return record.getInt(record.position() + 9);
  }

  /** One record: header, metadata, content, CRC32C of all before it. */
  static ByteBuffer encode(byte kind, ArtifactInfo info, byte[] content, int contentLength) {
    byte[] metadata = MetadataFile.encode(info);
    int length = HEADER_BYTES + metadata.length + contentLength + CRC_BYTES;
    ByteBuffer record = ByteBuffer.allocate(length);
    record.putInt(MAGIC).putInt(length).put(kind).putInt(metadata.length);
    record.put(metadata).put(content, 0, contentLength);
    CRC32C crc = new CRC32C();
    crc.update(record.array(), 0, length - CRC_BYTES);
    record.putInt((int) crc.getValue());
    return record.flip();
  }

  /** This process's segment, created (durably, and locked) when there is none or it is full. */
  private Segment ownSegment() throws IOException {
    if (own != null && !own.sealed && own.end < ROLL_BYTES) {
      return own;
    }
    if (own != null) {
      retire(own);
    }
    String name = tag + "-" + segmentCounter.incrementAndGet() + SEGMENT_SUFFIX;
    Path file = dir.resolve(name);
    FileChannel channel =
        FileChannel.open(
            file,
            StandardOpenOption.CREATE_NEW,
            StandardOpenOption.READ,
            StandardOpenOption.WRITE,
            LinkOption.NOFOLLOW_LINKS);
    try {
      FileLock lock = channel.tryLock();
      if (lock == null) {
        throw new IOException("could not lock the new segment " + file);
      }
      FsLayout.forceDirectory(dir);
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
    Segment segment = new Segment(name, file, channel, true);
    synchronized (scanLock) {
      segments.put(name, segment);
    }
    own = segment;
    return segment;
  }

  /** Appends nothing more to {@code segment}; it stays readable. */
  private void retire(Segment segment) {
    segment.sealed = true;
    if (segment == own) {
      own = null;
    }
  }

  // ---- segments

  /** What a segment file was when its verified records were last known good, and since when. */
  private record Trust(VerifiedReads.Identity identity, long epoch) {}

  /** One segment file, as this process reads (or appends to) it. */
  private static final class Segment {
    final String name;
    final Path file;
    final FileChannel channel;
    final boolean own;
    final Object fileKey; // device and inode when opened
    volatile boolean sealed;
    long end; // own: where the next record goes; foreign: where the next scan starts
    private final java.util.concurrent.atomic.AtomicReference<Trust> trust =
        new java.util.concurrent.atomic.AtomicReference<>();

    Segment(String name, Path file, FileChannel channel, boolean own) {
      this.name = name;
      this.file = file;
      this.channel = channel;
      this.own = own;
      VerifiedReads.Identity identity = identityNow();
      this.fileKey = identity == null ? null : identity.fileKey();
      this.trust.set(new Trust(identity, 0));
    }

    /** The file's identity as it is now (null when it cannot be looked at). */
    VerifiedReads.Identity identityNow() {
      try {
        return FsLayout.fileAttributes(file)
            .filter(a -> a.regularFile() && !a.symbolicLink())
            .map(FsLayout.FileAttributes::identity)
            .orElse(null);
      } catch (IOException | RuntimeException e) {
        return null;
      }
    }

    /** Everything verified in this segment is to be verified again. */
    void distrust() {
      distrustAt(identityNow());
    }

    /** The trust as it is now. */
    Trust trust() {
      return trust.get();
    }

    /** Trust nothing verified so far; the file as it is at {@code identity} from now on. */
    Trust distrustAt(VerifiedReads.Identity identity) {
      // never lowers the epoch, whatever runs concurrently (a read's distrust, an append's update)
      return trust.updateAndGet(t -> new Trust(identity, t.epoch + 1));
    }

    /**
     * Before this process appends: the open file must still be the one at its path — else the root
     * was moved, removed or replaced, and what is appended would not be where readers look (a
     * {@link NoSuchFileException}: the backend is unavailable). If anyone else changed the file
     * since, trust nothing verified in it.
     */
    void beforeAppend() throws NoSuchFileException {
      VerifiedReads.Identity now = identityNow();
      if (now == null || fileKey == null || !fileKey.equals(now.fileKey())) {
        throw new NoSuchFileException(
            file.toString(),
            null,
            "this segment is no longer at its path: the artifact root was moved, removed or replaced");
      }
      if (!now.equals(trust().identity)) {
        distrustAt(now);
      }
    }

    /** After this process's append, synced: the file is as this process left it. */
    Trust afterAppend() {
      VerifiedReads.Identity now = identityNow();
      return trust.updateAndGet(t -> new Trust(now, t.epoch));
    }
  }
}
