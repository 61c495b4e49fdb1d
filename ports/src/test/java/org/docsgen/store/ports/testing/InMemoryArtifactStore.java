package org.docsgen.store.ports.testing;

import static java.util.Objects.requireNonNull;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.docsgen.store.domain.artifact.ArtifactInfo;
import org.docsgen.store.domain.artifact.ContentHash;
import org.docsgen.store.domain.artifact.LogicalPath;
import org.docsgen.store.domain.run.RunId;
import org.docsgen.store.domain.run.Stage;
import org.docsgen.store.ports.error.BackendUnavailableException;
import org.docsgen.store.ports.error.ImmutableException;
import org.docsgen.store.ports.error.InvalidInputException;
import org.docsgen.store.ports.error.NotFoundException;
import org.docsgen.store.ports.error.PayloadTooLargeException;
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
import org.docsgen.store.ports.stream.DigestingInputStream;
import org.docsgen.store.ports.stream.VerifyingInputStream;

/**
 * A correct {@link ArtifactStore} in memory, for tests of the contract suite itself and of the
 * application services. Every generation keeps its own byte array (nothing is replaced in place);
 * the guard's decision and the commit happen under one lock, so concurrent creates of one path have
 * exactly one winner. Content is streamed into memory before the lock is taken.
 *
 * <p>Test hooks: {@link #tamper}, {@link #isEmpty}, {@link #versionCount}, and {@link
 * #flawed(OverwriteTokens, Clock, Flaw)} for stores that deliberately break one rule (to prove the
 * contract suite notices).
 */
public final class InMemoryArtifactStore implements ArtifactStore {

  /** A deliberate defect, for proving that the contract suite bites. */
  public enum Flaw {
    NONE,
    /** Replaces the latest generation's bytes in place instead of refusing an overwrite. */
    OVERWRITE_IN_PLACE,
    /** Returns stored bytes without verifying their hash. */
    SKIP_READ_VERIFICATION,
    /** Removes an orphan whatever its age and whether a later generation exists. */
    CARELESS_ORPHAN_REMOVAL,
    /**
     * Reports any failure of the caller's content stream as its own backend failure (what the S3
     * and JDBC stores did with an IOException before issue 13).
     */
    BODY_FAILURE_AS_BACKEND_FAILURE
  }

  private final StoreGuard guard;
  private final Clock clock;
  private final long maxBytes;
  private final Flaw flaw;
  private final Object lock = new Object();
  private final TreeMap<LogicalPath, TreeMap<Integer, Stored>> paths = new TreeMap<>();

  private record Stored(ArtifactInfo info, byte[] bytes) {}

  private final java.util.Set<String> unreadable =
      java.util.concurrent.ConcurrentHashMap.newKeySet();

  public InMemoryArtifactStore(OverwriteTokens tokens, Clock clock) {
    this(tokens, clock, Long.MAX_VALUE, Flaw.NONE);
  }

  public InMemoryArtifactStore(OverwriteTokens tokens, Clock clock, long maxBytes) {
    this(tokens, clock, maxBytes, Flaw.NONE);
  }

  private InMemoryArtifactStore(OverwriteTokens tokens, Clock clock, long maxBytes, Flaw flaw) {
    this.guard = new StoreGuard(requireNonNull(tokens, "tokens is null"));
    this.clock = requireNonNull(clock, "clock is null");
    this.maxBytes = maxBytes;
    this.flaw = requireNonNull(flaw, "flaw is null");
  }

  /** A store with one deliberate defect. */
  public static InMemoryArtifactStore flawed(OverwriteTokens tokens, Clock clock, Flaw flaw) {
    return new InMemoryArtifactStore(tokens, clock, Long.MAX_VALUE, flaw);
  }

  @Override
  public WriteResult write(WriteRequest request, InputStream content) {
    requireNonNull(request, "request is null");
    requireNonNull(content, "content is null");
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    DigestingInputStream in = new DigestingInputStream(content, maxBytes);
    try {
      if (flaw == Flaw.BODY_FAILURE_AS_BACKEND_FAILURE) {
        try {
          in.transferTo(buffer);
        } catch (IOException | RuntimeException e) {
          throw new BackendUnavailableException(
              "memory", "writing " + request.path() + " failed", e);
        }
      }
      in.transferTo(buffer);
    } catch (DigestingInputStream.SizeLimitExceededIOException e) {
      throw new PayloadTooLargeException(request.path().toString(), e.limit());
    } catch (IOException e) {
      // only the caller's stream reads here: its failure is the caller's input, not the memory
      throw new InvalidInputException(
          "body",
          "writing "
              + request.path()
              + " failed: the content could not be read: "
              + e.getMessage());
    }
    ContentHash hash = in.hash();
    byte[] bytes = buffer.toByteArray();
    synchronized (lock) {
      TreeMap<Integer, Stored> versions = paths.get(request.path());
      Optional<ArtifactInfo> current =
          versions == null ? Optional.empty() : Optional.of(versions.lastEntry().getValue().info);
      StoreGuard.Decision decision;
      try {
        decision = guard.decide(request, current, hash);
      } catch (ImmutableException e) {
        if (flaw != Flaw.OVERWRITE_IN_PLACE) {
          throw e;
        }
        decision = new StoreGuard.Decision.Create(current.orElseThrow().generation());
      }
      if (decision instanceof StoreGuard.Decision.Unchanged unchanged) {
        return new WriteResult(unchanged.existing(), WriteResult.Outcome.UNCHANGED);
      }
      int generation = ((StoreGuard.Decision.Create) decision).generation();
      ArtifactInfo info =
          new ArtifactInfo(
              request.path(),
              request.type(),
              hash,
              bytes.length,
              request.mediaType(),
              request.createdBy(),
              clock.instant(),
              generation);
      paths
          .computeIfAbsent(request.path(), p -> new TreeMap<>())
          .put(generation, new Stored(info, bytes));
      return new WriteResult(
          info, generation == 1 ? WriteResult.Outcome.CREATED : WriteResult.Outcome.OVERWRITTEN);
    }
  }

  @Override
  public ArtifactContent open(ReadRequest request) {
    Stored stored = find(request.path(), request.generation());
    if (request.expectedHash() != null && !request.expectedHash().equals(stored.info.hash())) {
      throw new NotFoundException(
          request.path()
              + " generation "
              + stored.info.generation()
              + " has no version with hash "
              + request.expectedHash());
    }
    byte[] bytes = stored.bytes;
    if (request.range() == null) {
      InputStream raw = new ByteArrayInputStream(bytes.clone());
      return new ArtifactContent(
          stored.info,
          null,
          flaw == Flaw.SKIP_READ_VERIFICATION ? raw : new VerifyingInputStream(raw, stored.info));
    }
    ByteRange range = request.range().clip(bytes.length);
    return new ArtifactContent(
        stored.info,
        range,
        new ByteArrayInputStream(bytes, (int) range.first(), (int) range.length()));
  }

  private Stored find(LogicalPath path, int generation) {
    synchronized (lock) {
      TreeMap<Integer, Stored> versions = paths.get(path);
      if (versions == null || versions.isEmpty()) {
        throw new NotFoundException("artifact " + path + " does not exist");
      }
      Stored stored =
          generation == ReadRequest.LATEST
              ? versions.lastEntry().getValue()
              : versions.get(generation);
      if (stored == null) {
        throw new NotFoundException(
            "artifact "
                + path
                + " has no generation "
                + generation
                + " (latest is "
                + versions.lastKey()
                + ")");
      }
      return stored;
    }
  }

  @Override
  public Optional<ArtifactInfo> stat(LogicalPath path) {
    synchronized (lock) {
      TreeMap<Integer, Stored> versions = paths.get(path);
      return versions == null || versions.isEmpty()
          ? Optional.empty()
          : Optional.of(versions.lastEntry().getValue().info);
    }
  }

  @Override
  public Optional<ArtifactInfo> stat(LogicalPath path, int generation) {
    refuseUnreadable(path, generation);
    synchronized (lock) {
      TreeMap<Integer, Stored> versions = paths.get(path);
      Stored stored = versions == null ? null : versions.get(generation);
      return Optional.ofNullable(stored).map(Stored::info);
    }
  }

  @Override
  public Page<ArtifactInfo> list(RunId runId, Optional<Stage> stage, PageRequest page) {
    List<ArtifactInfo> matching = new ArrayList<>();
    synchronized (lock) {
      for (Map.Entry<LogicalPath, TreeMap<Integer, Stored>> e : paths.entrySet()) {
        LogicalPath path = e.getKey();
        if (path.runId().equals(runId)
            && stage.map(path.stage()::equals).orElse(true)
            && !e.getValue().isEmpty()) {
          matching.add(e.getValue().lastEntry().getValue().info);
        }
      }
    }
    return InMemoryPages.slice(matching, page);
  }

  @Override
  public Page<ArtifactInfo> listVersions(RunId runId, PageRequest page) {
    List<ArtifactInfo> matching = new ArrayList<>();
    synchronized (lock) {
      for (Map.Entry<LogicalPath, TreeMap<Integer, Stored>> e : paths.entrySet()) {
        if (e.getKey().runId().equals(runId)) {
          e.getValue().values().forEach(s -> matching.add(s.info));
        }
      }
    }
    matching.forEach(info -> refuseUnreadable(info.path(), info.generation()));
    return InMemoryPages.slice(matching, page);
  }

  @Override
  public OrphanRemoval deleteOrphan(ArtifactInfo orphan, Instant createdBefore) {
    requireNonNull(orphan, "orphan is null");
    requireNonNull(createdBefore, "createdBefore is null");
    synchronized (lock) {
      TreeMap<Integer, Stored> versions = paths.get(orphan.path());
      Stored stored = versions == null ? null : versions.get(orphan.generation());
      if (stored == null) {
        return OrphanRemoval.ABSENT;
      }
      if (!stored.info.hash().equals(orphan.hash())) {
        return OrphanRemoval.OTHER_BYTES;
      }
      boolean careful = flaw != Flaw.CARELESS_ORPHAN_REMOVAL;
      if (careful && !stored.info.createdAt().isBefore(createdBefore)) {
        return OrphanRemoval.TOO_YOUNG;
      }
      if (careful && versions.lastKey() != orphan.generation()) {
        return OrphanRemoval.NOT_LATEST;
      }
      versions.remove(orphan.generation());
      if (versions.isEmpty()) {
        paths.remove(orphan.path());
      }
      return OrphanRemoval.REMOVED;
    }
  }

  @Override
  public StoreHealth health() {
    return new StoreHealth("memory", true, flaw == Flaw.NONE, "in-memory test store");
  }

  // ---- test hooks (the "raw backend")

  /** Flips the first byte of one stored version (or appends one to empty content). */
  /**
   * Makes one version's description unreadable, as a filesystem store whose metadata file was
   * damaged: stat of it and listings through it fail with an integrity error.
   */
  public void damageMetadata(LogicalPath path, int generation) {
    unreadable.add(path + "@" + generation);
  }

  private void refuseUnreadable(LogicalPath path, int generation) {
    if (unreadable.contains(path + "@" + generation)) {
      throw new org.docsgen.store.ports.error.IntegrityException(
          path, "the metadata of generation " + generation + " is unreadable");
    }
  }

  public void tamper(LogicalPath path, int generation) {
    synchronized (lock) {
      Stored stored = paths.get(path).get(generation);
      byte[] altered = stored.bytes.length == 0 ? new byte[] {42} : stored.bytes.clone();
      if (stored.bytes.length > 0) {
        altered[0] ^= 0x5a;
      }
      paths.get(path).put(generation, new Stored(stored.info, altered));
    }
  }

  /** Whether the store holds no version at all. */
  public boolean isEmpty() {
    synchronized (lock) {
      return paths.isEmpty();
    }
  }

  /** How many versions are stored, over all paths. */
  public int versionCount() {
    synchronized (lock) {
      return paths.values().stream().mapToInt(Map::size).sum();
    }
  }
}
