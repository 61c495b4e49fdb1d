package org.docsgen.store.adapters.fs;

import static java.util.Objects.requireNonNull;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
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
import java.util.List;
import java.util.Optional;
import java.util.UUID;
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
  private static final int BUFFER_SIZE = 64 * 1024;
  private static final int MAX_METADATA_BYTES = 64 * 1024;

  private final FsLayout layout;
  private final FsListing listing;
  private final StoreGuard guard;
  private final Clock clock;
  private final VerifiedReads reads = new VerifiedReads();
  private final Cache<Path, KnownMetadata> metadata =
      Caffeine.newBuilder().maximumSize(20_000).build();
  private final Cache<GenerationKey, KnownContent> contents =
      Caffeine.newBuilder().maximumSize(20_000).build();

  FsArtifactStore(Path root, OverwriteTokens tokens, Clock clock) {
    requireNonNull(root, "root is null");
    this.guard = new StoreGuard(requireNonNull(tokens, "tokens is null"));
    this.clock = requireNonNull(clock, "clock is null");
    try {
      FsLayout.createRootDurably(root);
      this.layout = new FsLayout(root.toRealPath());
      layout.ensureMarker();
      Staging.sweep(layout.root());
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
      if (request.createOnly() && staged.equals(parent)) {
        // Existence never ends, so a create-only write can be refused before its body is read;
        // the guard would refuse it the same way after.
        Optional<ArtifactInfo> existing = latest(path, parent);
        if (existing.isPresent()) {
          throw new AlreadyExistsException(path, existing.get().hash());
        }
      }
      try (Staging staging = Staging.open(staged)) {
        return stageAndPublish(request, parent, staged, staging, content);
      }
    } catch (IOException e) {
      throw FsErrors.translate(e, "writing " + path);
    }
  }

  /** Copies and hashes into {@code staging}, lets the guard decide, and publishes if told to. */
  private WriteResult stageAndPublish(
      WriteRequest request, Path parent, Path staged, Staging staging, InputStream content)
      throws IOException {
    DigestingInputStream digesting = new DigestingInputStream(content);
    VerifiedReads.BlockCrcs crcs = new VerifiedReads.BlockCrcs();
    copy(digesting, staging.content(), crcs);
    ContentHash hash = digesting.hash();
    // the directories down to `staged` were checked before the body; the missing ones are created
    // now, and every one is made durable in its parent (FsLayout.createDirectories says why)
    layout.createDirectories(parent, request.path(), staged);
    StoreGuard.Decision decision = guard.decide(request, latest(request.path(), parent), hash);
    if (decision instanceof StoreGuard.Decision.Unchanged unchanged) {
      // the version found may be a concurrent writer's, renamed but not yet synced: this success
      // is an acknowledgement too
      FsLayout.forceDirectory(parent);
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
        ArtifactContent known = openKnown(request);
        if (known != null) {
          return known;
        }
      }
      Found found =
          find(path, request.generation()).orElseThrow(() -> notFound(path, request.generation()));
      ArtifactInfo info = found.info();
      if (request.expectedHash() != null && !request.expectedHash().equals(info.hash())) {
        throw new NotFoundException(
            "artifact "
                + path
                + " generation "
                + info.generation()
                + " has hash "
                + info.hash()
                + ", not the expected "
                + request.expectedHash());
      }
      return openContent(found, layout.parentDir(path), request.range(), request.probe());
    } catch (IOException e) {
      throw FsErrors.translate(e, "reading " + path);
    }
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
      return find(path, ReadRequest.LATEST).map(Found::info);
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
      return find(path, generation).map(Found::info);
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
      listing.walk(
          runId,
          stage,
          after,
          (path, parent, generations) -> {
            if (path.equals(after)) {
              return true;
            }
            if (!builder.hasRoom()) {
              return false;
            }
            readGeneration(path, parent, generations.get(generations.size() - 1))
                .ifPresent(builder::add);
            return true;
          });
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
      listing.walk(
          runId,
          Optional.empty(),
          after == null ? null : after.path(),
          (path, parent, generations) -> {
            for (int generation : generations) {
              if (after != null && path.equals(after.path()) && generation <= after.generation()) {
                continue;
              }
              if (!builder.hasRoom()) {
                return false;
              }
              readGeneration(path, parent, generation).ifPresent(builder::add);
            }
            return true;
          });
    } catch (IOException e) {
      throw FsErrors.translate(e, "listing the versions of run " + runId);
    }
    List<ArtifactInfo> items = builder.items();
    ArtifactInfo last = items.isEmpty() ? null : items.get(items.size() - 1);
    String next = builder.more() ? FsListing.versionsCursor(last.path(), last.generation()) : null;
    return new Page<>(items, next);
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
      if (generation == Integer.MAX_VALUE || generationExists(path, parent, generation + 1)) {
        return OrphanRemoval.NOT_LATEST;
      }
      Path doomed = parent.resolve(FsLayout.stagingName());
      Files.move(parent.resolve(FsLayout.generationDirName(path, generation)), doomed);
      // other processes' reads of it notice the move by themselves (openKnown); this one need not
      contents.invalidate(new GenerationKey(path, generation));
      FsLayout.forceDirectory(parent);
      deleteUnpublished(doomed);
      return OrphanRemoval.REMOVED;
    } catch (IOException e) {
      throw FsErrors.translate(e, "removing orphan " + path + " generation " + generation);
    }
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
   * One generation of {@code path} ({@link ReadRequest#LATEST}: the latest), or empty; refuses a
   * link or foreign entry on the way.
   */
  private Optional<Found> find(LogicalPath path, int generation) throws IOException {
    Path parent = layout.parentDir(path);
    if (!layout.verifyDirectories(parent, path, false)) {
      return Optional.empty();
    }
    return generation == ReadRequest.LATEST
        ? latestFound(path, parent)
        : readFound(path, parent, generation, null);
  }

  /** The latest generation of {@code path}, or empty; {@code parent} must have been verified. */
  private Optional<ArtifactInfo> latest(LogicalPath path, Path parent) throws IOException {
    return latestFound(path, parent).map(Found::info);
  }

  private Optional<Found> latestFound(LogicalPath path, Path parent) throws IOException {
    BasicFileAttributes first = generationAttributes(path, parent, 1);
    if (first == null) {
      return Optional.empty();
    }
    Latest latest = latestGeneration(path, parent, first);
    // the search has just checked that directory: the same question, not asked twice
    return readFound(path, parent, latest.generation(), latest.dir());
  }

  /** The highest generation found, and its directory's attributes (as checked by the search). */
  private record Latest(int generation, BasicFileAttributes dir) {}

  /**
   * The highest published generation, given generation 1's directory. Generations are contiguous
   * from 1 — N+1 is only ever created by a writer that saw N as the latest — so a galloping search
   * finds the highest in O(log N) checks without listing the directory.
   */
  private Latest latestGeneration(LogicalPath path, Path parent, BasicFileAttributes first)
      throws IOException {
    int low = 1;
    BasicFileAttributes lowDir = first;
    long high = 2;
    while (high <= Integer.MAX_VALUE) {
      BasicFileAttributes found = generationAttributes(path, parent, (int) high);
      if (found == null) {
        break;
      }
      low = (int) high;
      lowDir = found;
      high *= 2;
    }
    while (high - low > 1) {
      int middle = (int) ((low + high) >>> 1);
      BasicFileAttributes found = generationAttributes(path, parent, middle);
      if (found != null) {
        low = middle;
        lowDir = found;
      } else {
        high = middle;
      }
    }
    return new Latest(low, lowDir);
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
    return reads.wholeHashCount();
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
