package org.docsgen.store.adapters.fs;

import static java.util.Objects.requireNonNull;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.zip.CRC32C;
import org.docsgen.store.domain.artifact.ArtifactInfo;
import org.docsgen.store.domain.artifact.ContentHash;
import org.docsgen.store.domain.artifact.LogicalPath;
import org.docsgen.store.domain.run.RunId;
import org.docsgen.store.domain.run.Stage;
import org.docsgen.store.ports.error.AlreadyExistsException;
import org.docsgen.store.ports.error.IntegrityException;
import org.docsgen.store.ports.error.NotFoundException;
import org.docsgen.store.ports.guard.OverwriteTokens;
import org.docsgen.store.ports.guard.StoreGuard;
import org.docsgen.store.ports.out.ArtifactContent;
import org.docsgen.store.ports.out.ArtifactStore;
import org.docsgen.store.ports.out.ByteRange;
import org.docsgen.store.ports.out.OrphanRemoval;
import org.docsgen.store.ports.out.Page;
import org.docsgen.store.ports.out.PageRequest;
import org.docsgen.store.ports.out.ReadRequest;
import org.docsgen.store.ports.out.StoreHealth;
import org.docsgen.store.ports.out.WriteRequest;
import org.docsgen.store.ports.out.WriteResult;
import org.docsgen.store.ports.stream.BoundedInputStream;
import org.docsgen.store.ports.stream.DigestingInputStream;

/**
 * {@link ArtifactStore} on a root directory ({@link FsLayout} describes the layout).
 *
 * <p>A write streams into a staging directory beside its target while hashing (one pass, 64 KiB
 * buffer), asks the {@link StoreGuard} what to do, writes the metadata, syncs, and publishes the
 * generation with one rename that fails when the generation exists — the exclusive create that
 * makes one writer win among threads and processes. There is no lock shared by writers: each pays
 * only for its own syncs. Generations are never modified after publication. A version this process
 * has just written is remembered as verified (see {@link #seed}), so reading it back costs what any
 * later read of a known version costs.
 */
final class FsArtifactStore implements ArtifactStore {
  /** For {@code packMaxBytes}: pack nothing, every generation a directory. */
  static final int NO_PACKING = -1;

  private static final int BUFFER_SIZE = 64 * 1024;
  private static final int MAX_METADATA_BYTES = 64 * 1024;

  private final FsLayout layout;
  private final FsListing listing;
  private final Packs packs;
  private final int packMaxBytes;
  private final StoreGuard guard;
  private final Clock clock;
  private final VerifiedReads reads = new VerifiedReads();
  private final Cache<Path, KnownMetadata> metadata =
      Caffeine.newBuilder().maximumSize(20_000).build();
  private final Cache<GenerationKey, KnownContent> contents =
      Caffeine.newBuilder().maximumSize(20_000).build();

  FsArtifactStore(Path root, OverwriteTokens tokens, Clock clock) {
    this(root, tokens, clock, Packs.MAX_PACKED_BYTES);
  }

  /**
   * A store that packs bodies of at most {@code packMaxBytes} (at most {@link
   * Packs#MAX_PACKED_BYTES}; negative: none, every generation a directory — for tests of the
   * directory layout).
   */
  FsArtifactStore(Path root, OverwriteTokens tokens, Clock clock, int packMaxBytes) {
    requireNonNull(root, "root is null");
    if (packMaxBytes > Packs.MAX_PACKED_BYTES) {
      throw new IllegalArgumentException("packMaxBytes over " + Packs.MAX_PACKED_BYTES);
    }
    this.packMaxBytes = packMaxBytes;
    this.guard = new StoreGuard(requireNonNull(tokens, "tokens is null"));
    this.clock = requireNonNull(clock, "clock is null");
    try {
      FsLayout.createRootDurably(root);
      this.layout = new FsLayout(root.toRealPath());
      layout.ensureMarker();
      Staging.sweep(layout.root());
      this.packs = Packs.of(layout.root());
    } catch (IOException e) {
      throw FsErrors.translate(e, "opening the artifact root " + root);
    }
    this.listing = new FsListing(layout);
  }

  @Override
  public WriteResult write(WriteRequest request, InputStream content) {
    requireNonNull(request, "request is null");
    requireNonNull(content, "content is null");
    LogicalPath path = request.path();
    try {
      Path parent = layout.parentDir(path);
      // The body stages in the deepest folder that exists; missing folders are created only once
      // it has arrived in full, so a refused or broken upload leaves the tree as it found it.
      Path staged = layout.deepestExistingDirectory(parent, path);
      if (request.createOnly()) {
        // Existence never ends, so a create-only write can be refused before its body is read;
        // the guard would refuse it the same way after.
        Optional<ArtifactInfo> existing = latestInfo(path);
        if (existing.isPresent()) {
          throw new AlreadyExistsException(path, existing.get().hash());
        }
      }
      DigestingInputStream digesting = new DigestingInputStream(content);
      Head head = readHead(digesting, packMaxBytes);
      if (head.complete()) {
        return writePacked(request, head.bytes(), head.length(), digesting.hash());
      }
      try (Staging staging = Staging.open(staged)) {
        return stageAndPublish(request, parent, staged, staging, digesting, head);
      }
    } catch (IOException e) {
      throw FsErrors.translate(e, "writing " + path);
    }
  }

  /** The first bytes of a body: all of it when {@code complete} (at most the packed maximum). */
  private record Head(byte[] bytes, int length, boolean complete) {}

  /**
   * Reads up to {@code limit} + 1 bytes: a body that ends within {@code limit} is packed, a longer
   * one streams on into a staging directory after these bytes (a negative limit: no bytes read).
   */
  private static Head readHead(InputStream source, int limit) throws IOException {
    if (limit < 0) {
      return new Head(new byte[0], 0, false);
    }
    // one byte over a round size, so a body of exactly 16 KiB is seen to end without growing
    byte[] bytes = new byte[Math.min(16 * 1024 + 1, limit + 1)];
    int length = 0;
    while (true) {
      if (length == bytes.length) {
        if (length > limit) {
          return new Head(bytes, length, false);
        }
        bytes = Arrays.copyOf(bytes, (int) Math.min(length * 2L, limit + 1L));
      }
      int n;
      try {
        n = source.read(bytes, length, bytes.length - length);
      } catch (IOException e) {
        throw new FsErrors.ContentSourceException(e);
      }
      if (n < 0) {
        return new Head(bytes, length, length <= limit);
      }
      length += n;
    }
  }

  /**
   * A write of a body that fits the packed maximum: decided and appended in the next batch of the
   * root's {@link Packs} (under the publication lock), acknowledged once the batch is synced.
   */
  private WriteResult writePacked(WriteRequest request, byte[] bytes, int length, ContentHash hash)
      throws IOException {
    LogicalPath path = request.path();
    CRC32C crc = new CRC32C();
    crc.update(bytes, 0, length);
    int contentCrc = (int) crc.getValue();
    WriteResult[] settled = new WriteResult[1];
    Optional<Packs.Entry> appended =
        packs.append(
            new Packs.PackedWrite() {
              @Override
              public LogicalPath path() {
                return path;
              }

              @Override
              public Optional<ArtifactInfo> decide() throws IOException {
                StoreGuard.Decision decision = guard.decide(request, latestInfoLocked(path), hash);
                if (decision instanceof StoreGuard.Decision.Unchanged unchanged) {
                  settled[0] = new WriteResult(unchanged.existing(), WriteResult.Outcome.UNCHANGED);
                  return Optional.empty();
                }
                return Optional.of(
                    new ArtifactInfo(
                        path,
                        request.type(),
                        hash,
                        length,
                        request.mediaType(),
                        request.createdBy(),
                        clock.instant(),
                        ((StoreGuard.Decision.Create) decision).generation()));
              }

              @Override
              public byte[] content() {
                return bytes;
              }

              @Override
              public int crc() {
                return contentCrc;
              }
            });
    if (appended.isEmpty()) {
      return settled[0];
    }
    ArtifactInfo info = appended.get().info();
    return new WriteResult(
        info,
        info.generation() == 1 ? WriteResult.Outcome.CREATED : WriteResult.Outcome.OVERWRITTEN);
  }

  /**
   * Copies the rest of the body into {@code staging} after its {@code head}, then, under the
   * publication lock, lets the guard decide and publishes if told to.
   */
  private WriteResult stageAndPublish(
      WriteRequest request,
      Path parent,
      Path staged,
      Staging staging,
      DigestingInputStream digesting,
      Head head)
      throws IOException {
    VerifiedReads.BlockCrcs crcs = new VerifiedReads.BlockCrcs();
    crcs.update(head.bytes(), 0, head.length());
    ByteBuffer first = ByteBuffer.wrap(head.bytes(), 0, head.length());
    while (first.hasRemaining()) {
      staging.content().write(first);
    }
    copy(digesting, staging.content(), crcs);
    ContentHash hash = digesting.hash();
    // the directories down to `staged` were checked before the body; the missing ones are created
    // now, and every one is made durable in its parent (FsLayout.createDirectories says why)
    layout.createDirectories(parent, request.path(), staged);
    return packs.underPublicationLock(
        () -> {
          StoreGuard.Decision decision =
              guard.decide(request, latestInfoLocked(request.path()), hash);
          if (decision instanceof StoreGuard.Decision.Unchanged unchanged) {
            return new WriteResult(unchanged.existing(), WriteResult.Outcome.UNCHANGED);
          }
          ArtifactInfo info =
              new ArtifactInfo(
                  request.path(),
                  request.type(),
                  hash,
                  digesting.count(),
                  request.mediaType(),
                  request.createdBy(),
                  clock.instant(),
                  ((StoreGuard.Decision.Create) decision).generation());
          return publish(request, parent, staging, info, crcs);
        });
  }

  /**
   * Makes the staged generation durable and renames it into place; acknowledged only once the
   * rename itself is durable. Then {@link #seed seeds} the read caches with what was written.
   */
  private WriteResult publish(
      WriteRequest request,
      Path parent,
      Staging staging,
      ArtifactInfo info,
      VerifiedReads.BlockCrcs crcs)
      throws IOException {
    staging.writeMetadata(MetadataFile.encode(info));
    staging.makeDurable();
    // after the last byte of both files is written and synced: nothing changes them from here on
    Staging.Identities written = staging.identities();
    int generation = info.generation();
    Path dir = parent.resolve(FsLayout.generationDirName(info.path(), generation));
    if (!staging.publish(dir)) {
      return afterLostRace(request, parent, generation, info.hash());
    }
    FsLayout.forceDirectory(parent);
    if (written != null) {
      seed(info, dir, written, crcs.finish());
    }
    return new WriteResult(
        info, generation == 1 ? WriteResult.Outcome.CREATED : WriteResult.Outcome.OVERWRITTEN);
  }

  /**
   * Remembers the generation this process has just published at {@code dir} as if a read had
   * verified it: its decoded metadata, the identities of its {@code meta.properties} and {@code
   * content} ({@link #openKnown}), and the CRC32C of every 64 KiB block of the content ({@link
   * VerifiedReads}). The first read of it is then a known read — two {@code lstat}s, the content
   * opened, every block checked against its CRC32C — instead of the walk, the metadata parsed and
   * the whole content hashed again with SHA-256, which this write has just done on these bytes.
   *
   * <p>Why that is as safe as a read's verification. The hash is the SHA-256 of the bytes written
   * (the caller indexes exactly that hash in the manifest, and a read still compares the manifest's
   * hash with it); the block CRCs are taken from the same buffers, in the same copy loop, as those
   * bytes go to the file — not read back from it. The identities (device, inode, size, change time)
   * are taken once both files were written and synced, in the staging directory this writer owns,
   * so they are surely those of the files it wrote; the publishing rename moves the directory and
   * leaves its files' change times alone, so they are the published files' too. Bytes changed
   * behind the store's back after the write — replaced, rewritten, truncated, touched — change the
   * file's identity (no user can set a change time), so the next read misses the seed and takes the
   * full walk with SHA-256; rot without an identity change fails the block CRC32C taken from the
   * bytes written. Nothing is seeded when anything is unsure: the identities could not be taken,
   * the rename lost a race to another writer ({@link #afterLostRace}), or the write failed before
   * this point; nor for an unchanged write, whose stored bytes were not written here (their
   * identity says nothing about what happened to them before this write, and a CRC32C alone is no
   * defence against forged bytes). A missing seed only costs the full verification later.
   */
  private void seed(ArtifactInfo info, Path dir, Staging.Identities written, int[] blockCrcs) {
    if (!reads.remember(info, dir.resolve(FsLayout.CONTENT), written.content(), blockCrcs)) {
      return;
    }
    metadata.put(dir.resolve(FsLayout.META), new KnownMetadata(written.metadata(), info));
    contents.put(
        new GenerationKey(info.path(), info.generation()),
        new KnownContent(info, written.metadata(), written.content()));
  }

  /**
   * Another writer published {@code generation} between our decision and our rename. Same bytes:
   * the write is an idempotent success; otherwise it is refused like any overwrite without a token.
   */
  private WriteResult afterLostRace(
      WriteRequest request, Path parent, int generation, ContentHash hash) throws IOException {
    LogicalPath path = request.path();
    ArtifactInfo winner =
        readGeneration(path, parent, generation)
            .orElseThrow(
                () ->
                    new IntegrityException(
                        path, "generation " + generation + " vanished after it was published"));
    if (request.createOnly()) {
      throw new AlreadyExistsException(path, winner.hash());
    }
    if (winner.hash().equals(hash)) {
      FsLayout.forceDirectory(parent); // the winner may not have synced its rename yet
      return new WriteResult(winner, WriteResult.Outcome.UNCHANGED);
    }
    throw StoreGuard.lostRace(winner);
  }

  /**
   * Copies {@code source} to {@code target}, feeding {@code crcs} the bytes as they are written.
   */
  private static void copy(InputStream source, FileChannel target, VerifiedReads.BlockCrcs crcs)
      throws IOException {
    byte[] buffer = new byte[BUFFER_SIZE];
    ByteBuffer view = ByteBuffer.wrap(buffer);
    while (true) {
      int n;
      try {
        n = source.read(buffer, 0, buffer.length);
      } catch (IOException e) {
        throw new FsErrors.ContentSourceException(e);
      }
      if (n < 0) {
        return;
      }
      crcs.update(buffer, 0, n);
      view.clear().limit(n);
      while (view.hasRemaining()) {
        target.write(view);
      }
    }
  }

  @Override
  public ArtifactContent open(ReadRequest request) {
    requireNonNull(request, "request is null");
    LogicalPath path = request.path();
    try {
      if (request.generation() != ReadRequest.LATEST) {
        Optional<Packs.Entry> packed = packs.find(path, request.generation());
        if (packed.isPresent()) {
          return openPacked(packed.get(), request);
        }
        ArtifactContent known = openKnown(request);
        if (known != null) {
          return known;
        }
      }
      Located located =
          locate(path, request.generation())
              .orElseThrow(() -> notFound(path, request.generation()));
      if (located.packed() != null) {
        return openPacked(located.packed(), request);
      }
      Found found = located.found();
      ArtifactInfo info = found.info();
      requireExpectedHash(request, info);
      return openContent(found, layout.parentDir(path), request.range(), request.probe());
    } catch (IOException e) {
      throw FsErrors.translate(e, "reading " + path);
    }
  }

  private static void requireExpectedHash(ReadRequest request, ArtifactInfo info) {
    if (request.expectedHash() != null && !request.expectedHash().equals(info.hash())) {
      throw new NotFoundException(
          "artifact "
              + info.path()
              + " generation "
              + info.generation()
              + " has hash "
              + info.hash()
              + ", not the expected "
              + request.expectedHash());
    }
  }

  /** A packed generation's content, read whole and checked ({@link Packs#read}), as asked. */
  private ArtifactContent openPacked(Packs.Entry entry, ReadRequest request) throws IOException {
    ArtifactInfo info = entry.info();
    requireExpectedHash(request, info);
    ByteRange clipped = request.range() == null ? null : request.range().clip(info.size());
    // a probe of a range (plain fsck: present and of its size) reads without hashing, as it does
    // from a content file
    byte[] bytes =
        request.probe() && clipped != null ? packs.readUnchecked(entry) : packs.read(entry);
    int first = clipped == null ? 0 : (int) clipped.first();
    int length = clipped == null ? bytes.length : (int) clipped.length();
    return new ArtifactContent(info, clipped, new ByteArrayInputStream(bytes, first, length));
  }

  /** A generation as found: packed ({@code packed}) or a generation directory ({@code found}). */
  private record Located(ArtifactInfo info, Packs.Entry packed, Found found) {
    static Located of(Packs.Entry packed) {
      return new Located(packed.info(), packed, null);
    }

    static Located of(Found found) {
      return new Located(found.info(), null, found);
    }
  }

  /**
   * One generation of {@code path} ({@link ReadRequest#LATEST}: the latest), packed or a directory,
   * or empty; refuses a link or foreign entry on the way to a directory.
   */
  private Optional<Located> locate(LogicalPath path, int generation) throws IOException {
    if (generation == ReadRequest.LATEST) {
      packs.catchUp();
      return locateLatest(path);
    }
    Optional<Packs.Entry> packed = packs.find(path, generation);
    if (packed.isPresent()) {
      return packed.map(Located::of);
    }
    Optional<Found> found = find(path, generation);
    if (found.isPresent()) {
      return found.map(Located::of);
    }
    packs.catchUp(); // another process may have packed it a moment ago
    return packs.find(path, generation).map(Located::of);
  }

  /** The latest generation, packed or a directory; the caller has caught up with the packs. */
  private Optional<Located> locateLatest(LogicalPath path) throws IOException {
    Path parent = layout.parentDir(path);
    if (!layout.verifyDirectories(parent, path, false)) {
      return packs.latest(path).map(Located::of);
    }
    int latest = latestGenerationNumber(path, parent);
    if (latest == 0) {
      return Optional.empty();
    }
    Optional<Packs.Entry> packed = packs.find(path, latest);
    if (packed.isPresent()) {
      return packed.map(Located::of);
    }
    return readFound(path, parent, latest, null).map(Located::of);
  }

  /** The latest version's metadata, after catching up with other processes' packs. */
  private Optional<ArtifactInfo> latestInfo(LogicalPath path) throws IOException {
    packs.catchUp();
    return locateLatest(path).map(Located::info);
  }

  /** The latest version's metadata, for a decision under the publication lock. */
  private Optional<ArtifactInfo> latestInfoLocked(LogicalPath path) throws IOException {
    return locateLatest(path).map(Located::info);
  }

  /** Whether generation {@code generation} of {@code path} exists, packed or as a directory. */
  private boolean generationExistsAnywhere(LogicalPath path, Path parent, int generation)
      throws IOException {
    return packs.find(path, generation).isPresent()
        || (layout.verifyDirectories(parent, path, false)
            && generationExists(path, parent, generation));
  }

  /**
   * A read of a generation this process has opened before, without walking to it again: when its
   * {@code meta.properties} and {@code content} are still the very files found then (the same
   * {@link VerifiedReads.Identity}: device, inode, size, change time), the checks made then still
   * hold, and the content is opened and read through {@link VerifiedReads} like any read. Two
   * {@code lstat}s instead of six (run, stage, folders, generation directory, metadata, content).
   * Null (and the entry forgotten) on any difference, a missing file or any failure: the full path
   * then decides, and reports what it finds exactly as it always did.
   *
   * <p>Why skipping the directory walk is safe. What reaches a file is its path, and the identity
   * says which file was reached: the same identity is the same inode, unchanged since it was
   * checked (a write, truncation, rename or new link of the file moves its change time, which no
   * user can set back). So a directory on the way that has become a link, or a generation directory
   * moved, removed ({@link #deleteOrphan} renames it away) or replaced, either leads nowhere
   * (missing: the full path says not found or refuses what is there), or to another file (another
   * identity: the full path refuses the link or reports the integrity failure), or to the very
   * files already checked — and then this read serves exactly the bytes and metadata the full path
   * verified, no byte of them unchecked (every block passes its CRC32C against the verified
   * object). A link planted after a read is therefore refused by the next read only when it leads
   * anywhere else (docs/decisions.md § adapters-fs). The metadata file is looked at too, so a
   * {@code meta.properties} edited behind the store's back (say its size) is met by the full path
   * on the next read, as before. The request's expected hash (the manifest's) is compared as on the
   * full path; a mismatch leaves the answer to the full path.
   */
  private ArtifactContent openKnown(ReadRequest request) throws IOException {
    LogicalPath path = request.path();
    GenerationKey key = new GenerationKey(path, request.generation());
    KnownContent known = contents.getIfPresent(key);
    if (known == null
        || (request.expectedHash() != null
            && !request.expectedHash().equals(known.info().hash()))) {
      return null;
    }
    Path dir =
        layout.parentDir(path).resolve(FsLayout.generationDirName(path, request.generation()));
    Path file = dir.resolve(FsLayout.CONTENT);
    FsLayout.FileAttributes attributes;
    FileChannel channel;
    try {
      if (!FsLayout.fileAttributes(dir.resolve(FsLayout.META))
          .filter(known::isMetadata)
          .isPresent()) {
        contents.invalidate(key);
        return null;
      }
      Optional<FsLayout.FileAttributes> content =
          FsLayout.fileAttributes(file).filter(known::isContent);
      if (content.isEmpty()) {
        contents.invalidate(key);
        return null;
      }
      attributes = content.get();
      channel = FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
    } catch (IOException | RuntimeException e) {
      contents.invalidate(key);
      return null;
    }
    return serve(known.info(), file, attributes, channel, request.range(), request.probe());
  }

  private ArtifactContent openContent(Found found, Path parent, ByteRange range, boolean probe)
      throws IOException {
    ArtifactInfo info = found.info();
    LogicalPath path = info.path();
    Path file =
        parent
            .resolve(FsLayout.generationDirName(path, info.generation()))
            .resolve(FsLayout.CONTENT);
    FsLayout.FileAttributes attributes =
        FsLayout.fileAttributes(file)
            .orElseThrow(
                () ->
                    new IntegrityException(
                        path, "the content of generation " + info.generation() + " is missing"));
    layout.requireRegularFile(attributes, file, path);
    if (attributes.size() != info.size()) {
      throw new IntegrityException(
          path,
          "the content of generation "
              + info.generation()
              + " has "
              + attributes.size()
              + " bytes, not the recorded "
              + info.size());
    }
    FileChannel channel =
        FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
    contents.put(
        new GenerationKey(path, info.generation()),
        new KnownContent(info, found.metadata(), attributes.identity()));
    return serve(info, file, attributes, channel, range, probe);
  }

  /** The content of {@code info}, open on {@code channel} (owned from here on), as asked. */
  private ArtifactContent serve(
      ArtifactInfo info,
      Path file,
      FsLayout.FileAttributes attributes,
      FileChannel channel,
      ByteRange range,
      boolean probe)
      throws IOException {
    try {
      ByteRange clipped = range == null ? null : range.clip(info.size());
      InputStream in =
          probe && clipped != null
              ? new BoundedInputStream(
                  Channels.newInputStream(channel.position(clipped.first())), clipped.length())
              : reads.open(info, file, attributes.identity(), channel, clipped);
      return new ArtifactContent(info, clipped, in);
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  private static NotFoundException notFound(LogicalPath path, int generation) {
    return new NotFoundException(
        generation == ReadRequest.LATEST
            ? "artifact " + path + " does not exist"
            : "artifact " + path + " has no generation " + generation);
  }

  @Override
  public Optional<ArtifactInfo> stat(LogicalPath path) {
    requireNonNull(path, "path is null");
    try {
      return locate(path, ReadRequest.LATEST).map(Located::info);
    } catch (IOException e) {
      throw FsErrors.translate(e, "reading the metadata of " + path);
    }
  }

  @Override
  public Optional<ArtifactInfo> stat(LogicalPath path, int generation) {
    requireNonNull(path, "path is null");
    if (generation < 1) {
      return Optional.empty();
    }
    try {
      return locate(path, generation).map(Located::info);
    } catch (IOException e) {
      throw FsErrors.translate(e, "reading the metadata of " + path);
    }
  }

  @Override
  public Page<ArtifactInfo> list(RunId runId, Optional<Stage> stage, PageRequest page) {
    requireNonNull(runId, "runId is null");
    requireNonNull(stage, "stage is null");
    requireNonNull(page, "page is null");
    LogicalPath after =
        page.cursorValue()
            .map(c -> FsListing.parseCursor(c, false, runId, stage).path())
            .orElse(null);
    FsListing.PageBuilder<ArtifactInfo> builder = new FsListing.PageBuilder<>(page.limit());
    try {
      for (Listed listed : gather(runId, stage, after, false, page.limit() + 1)) {
        if (!builder.hasRoom()) {
          break;
        }
        versionOf(listed, listed.generations.lastKey()).ifPresent(builder::add);
      }
    } catch (IOException e) {
      throw FsErrors.translate(e, "listing run " + runId);
    }
    List<ArtifactInfo> items = builder.items();
    String next =
        builder.more() ? FsListing.latestCursor(items.get(items.size() - 1).path()) : null;
    return new Page<>(items, next);
  }

  @Override
  public Page<ArtifactInfo> listVersions(RunId runId, PageRequest page) {
    requireNonNull(runId, "runId is null");
    requireNonNull(page, "page is null");
    FsListing.Cursor after =
        page.cursorValue()
            .map(c -> FsListing.parseCursor(c, true, runId, Optional.empty()))
            .orElse(null);
    FsListing.PageBuilder<ArtifactInfo> builder = new FsListing.PageBuilder<>(page.limit());
    try {
      paths:
      for (Listed listed :
          gather(
              runId,
              Optional.empty(),
              after == null ? null : after.path(),
              true,
              // the cursor's own path may have nothing left after it: one more path tells
              // whether more remain
              page.limit() + 2)) {
        for (int generation : listed.generations.keySet()) {
          if (after != null
              && listed.path.equals(after.path())
              && generation <= after.generation()) {
            continue;
          }
          if (!builder.hasRoom()) {
            break paths;
          }
          versionOf(listed, generation).ifPresent(builder::add);
        }
      }
    } catch (IOException e) {
      throw FsErrors.translate(e, "listing the versions of run " + runId);
    }
    List<ArtifactInfo> items = builder.items();
    ArtifactInfo last = items.isEmpty() ? null : items.get(items.size() - 1);
    String next = builder.more() ? FsListing.versionsCursor(last.path(), last.generation()) : null;
    return new Page<>(items, next);
  }

  /**
   * One path's generations as a listing finds them: each packed one with its entry, each directory
   * one with a null entry (read from {@code parent}).
   */
  private static final class Listed {
    final LogicalPath path;
    Path parent;
    final TreeMap<Integer, Packs.Entry> generations = new TreeMap<>();

    Listed(LogicalPath path) {
      this.path = path;
    }
  }

  /**
   * The first {@code paths} paths of {@code runId} (of {@code stage} when present) after {@code
   * after} ({@code includeAfter}: from it), in path order, merging the generation directories the
   * walk finds with the packed versions: each source gives at most {@code paths}, so the first
   * {@code paths} of the merge are the first of the whole.
   */
  private List<Listed> gather(
      RunId runId, Optional<Stage> stage, LogicalPath after, boolean includeAfter, int paths)
      throws IOException {
    packs.catchUp();
    TreeMap<String, Listed> merged = new TreeMap<>();
    int[] walked = {0};
    listing.walk(
        runId,
        stage,
        after,
        (path, parent, generations) -> {
          if (!includeAfter && path.equals(after)) {
            return true;
          }
          if (walked[0] >= paths) {
            return false;
          }
          Listed listed = merged.computeIfAbsent(path.toString(), k -> new Listed(path));
          listed.parent = parent;
          for (int generation : generations) {
            listed.generations.put(generation, null);
          }
          walked[0]++;
          return true;
        });
    String prefix = runId + "/" + stage.map(s -> s + "/").orElse("");
    int packed = 0;
    for (Map.Entry<String, NavigableMap<Integer, Packs.Entry>> e :
        packs.paths(prefix, after == null ? null : after.toString(), includeAfter).entrySet()) {
      if (packed++ >= paths) {
        break;
      }
      NavigableMap<Integer, Packs.Entry> versions = e.getValue();
      if (versions.isEmpty()) {
        continue;
      }
      Listed listed =
          merged.computeIfAbsent(
              e.getKey(), k -> new Listed(versions.firstEntry().getValue().info().path()));
      versions.forEach(listed.generations::put);
    }
    List<Listed> first = new ArrayList<>(Math.min(paths, merged.size()));
    for (Listed listed : merged.values()) {
      if (first.size() >= paths) {
        break;
      }
      first.add(listed);
    }
    return first;
  }

  private Optional<ArtifactInfo> versionOf(Listed listed, int generation) throws IOException {
    Packs.Entry packed = listed.generations.get(generation);
    if (packed != null) {
      return Optional.of(packed.info());
    }
    return readGeneration(listed.path, listed.parent, generation);
  }

  /**
   * Checks the version against its own {@code meta.properties}, then takes the whole generation
   * directory out of sight with one rename to a staging name (readers see all of it or none), syncs
   * the parent and deletes the files. A crash after the rename leaves an unlocked staging
   * directory, which the start-up sweep removes like a crashed write's. Empty folders stay.
   */
  @Override
  public OrphanRemoval deleteOrphan(ArtifactInfo orphan, Instant createdBefore) {
    requireNonNull(orphan, "orphan is null");
    requireNonNull(createdBefore, "createdBefore is null");
    LogicalPath path = orphan.path();
    int generation = orphan.generation();
    try {
      Path parent = layout.parentDir(path);
      return packs.underPublicationLock(
          () -> {
            Optional<Packs.Entry> packed = packs.find(path, generation);
            if (packed.isPresent()) {
              Optional<OrphanRemoval> kept =
                  OrphanRemoval.keptFor(packed.get().info(), orphan, createdBefore);
              if (kept.isPresent()) {
                return kept.get();
              }
              if (generation == Integer.MAX_VALUE
                  || generationExistsAnywhere(path, parent, generation + 1)) {
                return OrphanRemoval.NOT_LATEST;
              }
              packs.appendRemovalLocked(packed.get());
              return OrphanRemoval.REMOVED;
            }
            return deleteOrphanDirectory(orphan, createdBefore, parent);
          });
    } catch (IOException e) {
      throw FsErrors.translate(e, "removing orphan " + path + " generation " + generation);
    }
  }

  private OrphanRemoval deleteOrphanDirectory(
      ArtifactInfo orphan, Instant createdBefore, Path parent) throws IOException {
    LogicalPath path = orphan.path();
    int generation = orphan.generation();
    if (!layout.verifyDirectories(parent, path, false)) {
      return OrphanRemoval.ABSENT;
    }
    Optional<ArtifactInfo> stored = readGeneration(path, parent, generation);
    if (stored.isEmpty()) {
      return OrphanRemoval.ABSENT;
    }
    Optional<OrphanRemoval> kept = OrphanRemoval.keptFor(stored.get(), orphan, createdBefore);
    if (kept.isPresent()) {
      return kept.get();
    }
    if (generation == Integer.MAX_VALUE || generationExistsAnywhere(path, parent, generation + 1)) {
      return OrphanRemoval.NOT_LATEST;
    }
    Path doomed = parent.resolve(FsLayout.stagingName());
    Files.move(parent.resolve(FsLayout.generationDirName(path, generation)), doomed);
    // other processes' reads of it notice the move by themselves (openKnown); this one need not
    contents.invalidate(new GenerationKey(path, generation));
    FsLayout.forceDirectory(parent);
    deleteUnpublished(doomed);
    return OrphanRemoval.REMOVED;
  }

  /** Deletes a directory already out of readers' sight; what fails is left for the sweep. */
  private static void deleteUnpublished(Path dir) {
    try {
      Files.deleteIfExists(dir.resolve(FsLayout.CONTENT));
      Files.deleteIfExists(dir.resolve(FsLayout.META));
      Files.deleteIfExists(dir);
    } catch (IOException e) {
      // invisible to reads and listings; the next start-up sweep removes it
    }
  }

  @Override
  public StoreHealth health() {
    Path probe = layout.root().resolve(FsLayout.HEALTH_PREFIX + UUID.randomUUID());
    try {
      try (FileChannel channel =
          FileChannel.open(
              probe,
              StandardOpenOption.CREATE_NEW,
              StandardOpenOption.WRITE,
              LinkOption.NOFOLLOW_LINKS)) {
        channel.write(ByteBuffer.wrap(new byte[] {'o', 'k'}));
      } finally {
        Files.deleteIfExists(probe);
      }
      return new StoreHealth(FsErrors.BACKEND, true, true, "the artifact root is writable");
    } catch (IOException e) {
      return new StoreHealth(
          FsErrors.BACKEND, false, true, FsErrors.translate(e, "probing the root").getMessage());
    } catch (RuntimeException e) {
      return new StoreHealth(FsErrors.BACKEND, false, true, "probing the root failed: " + e);
    }
  }

  // ---- generations

  /**
   * One generation directory of {@code path} (not {@link ReadRequest#LATEST}), or empty; refuses a
   * link or foreign entry on the way.
   */
  private Optional<Found> find(LogicalPath path, int generation) throws IOException {
    Path parent = layout.parentDir(path);
    if (!layout.verifyDirectories(parent, path, false)) {
      return Optional.empty();
    }
    return readFound(path, parent, generation, null);
  }

  /**
   * The highest published generation, packed or a directory (0: none). Generations are contiguous
   * from 1 — N+1 is only ever created by a writer that saw N as the latest — so a galloping search
   * finds the highest in O(log N) checks without listing the directory.
   */
  private int latestGenerationNumber(LogicalPath path, Path parent) throws IOException {
    if (!exists(path, parent, 1)) {
      return 0;
    }
    int low = 1;
    long high = 2;
    while (high <= Integer.MAX_VALUE && exists(path, parent, (int) high)) {
      low = (int) high;
      high *= 2;
    }
    while (high - low > 1) {
      int middle = (int) ((low + high) >>> 1);
      if (exists(path, parent, middle)) {
        low = middle;
      } else {
        high = middle;
      }
    }
    return low;
  }

  /** Whether {@code generation} exists, packed or as a directory ({@code parent} verified). */
  private boolean exists(LogicalPath path, Path parent, int generation) throws IOException {
    return packs.find(path, generation).isPresent()
        || generationAttributes(path, parent, generation) != null;
  }

  private boolean generationExists(LogicalPath path, Path parent, int generation)
      throws IOException {
    return generationAttributes(path, parent, generation) != null;
  }

  /**
   * The attributes of a generation's directory, checked to be a real directory, or null when it
   * does not exist.
   */
  private BasicFileAttributes generationAttributes(LogicalPath path, Path parent, int generation)
      throws IOException {
    Path dir = parent.resolve(FsLayout.generationDirName(path, generation));
    if (!FsLayout.mayExist(dir)) {
      return null; // the usual answer for the next generation: no exception thrown to say so
    }
    Optional<BasicFileAttributes> attributes = FsLayout.lstat(dir);
    attributes.ifPresent(a -> layout.requireRealDirectory(a, dir, path));
    return attributes.orElse(null);
  }

  /** One generation's metadata, or empty when it was never published. */
  private Optional<ArtifactInfo> readGeneration(LogicalPath path, Path parent, int generation)
      throws IOException {
    return readFound(path, parent, generation, null).map(Found::info);
  }

  /** A generation's metadata and the identity of the {@code meta.properties} it came from. */
  private record Found(ArtifactInfo info, VerifiedReads.Identity metadata) {}

  /**
   * {@link #readGeneration}, with the identity of the metadata file; {@code checkedDir}: the
   * generation directory's attributes when the caller has just checked it is a real directory
   * (null: look).
   */
  private Optional<Found> readFound(
      LogicalPath path, Path parent, int generation, BasicFileAttributes checkedDir)
      throws IOException {
    Path dir = parent.resolve(FsLayout.generationDirName(path, generation));
    if (checkedDir == null) {
      Optional<BasicFileAttributes> dirAttributes = FsLayout.lstat(dir);
      if (dirAttributes.isEmpty()) {
        return Optional.empty();
      }
      layout.requireRealDirectory(dirAttributes.get(), dir, path);
    }
    Path meta = dir.resolve(FsLayout.META);
    FsLayout.FileAttributes attributes =
        FsLayout.fileAttributes(meta)
            .orElseThrow(
                () ->
                    new IntegrityException(
                        path, "generation " + generation + " has no " + FsLayout.META));
    layout.requireRegularFile(attributes, meta, path);
    if (attributes.size() > MAX_METADATA_BYTES) {
      throw new IntegrityException(
          path, "the metadata of generation " + generation + " is implausibly large");
    }
    KnownMetadata known = metadata.getIfPresent(meta);
    if (known != null
        && known.identity().equals(attributes.identity())
        && known.info().path().equals(path)
        && known.info().generation() == generation) {
      return Optional.of(new Found(known.info(), attributes.identity()));
    }
    byte[] bytes;
    try (InputStream in =
        Files.newInputStream(meta, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
      bytes = in.readNBytes(MAX_METADATA_BYTES);
    }
    ArtifactInfo info = MetadataFile.decode(bytes, path, generation);
    metadata.put(meta, new KnownMetadata(attributes.identity(), info));
    return Optional.of(new Found(info, attributes.identity()));
  }

  /**
   * A generation's decoded {@code meta.properties}, kept while the file is the same file: a
   * published generation never changes, so only a file replaced or edited behind the store's back
   * (another inode, size or change time) is read again.
   */
  private record KnownMetadata(VerifiedReads.Identity identity, ArtifactInfo info) {}

  /** Full SHA-256 verifications made by reads so far (tests). */
  long wholeHashCount() {
    return reads.wholeHashCount() + packs.wholeHashCount();
  }

  /** Which generation of which path. */
  private record GenerationKey(LogicalPath path, int generation) {}

  /**
   * What a read of a generation found and checked (see {@link #openKnown}): its metadata, and the
   * identities of its {@code meta.properties} and {@code content}.
   */
  private record KnownContent(
      ArtifactInfo info, VerifiedReads.Identity metadata, VerifiedReads.Identity content) {
    boolean isMetadata(FsLayout.FileAttributes attributes) {
      return sameFile(attributes, metadata);
    }

    boolean isContent(FsLayout.FileAttributes attributes) {
      return sameFile(attributes, content);
    }

    private static boolean sameFile(FsLayout.FileAttributes attributes, VerifiedReads.Identity id) {
      return attributes.regularFile()
          && !attributes.symbolicLink()
          && attributes.identity().equals(id);
    }
  }
}
