package org.docsgen.store.ports.service;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.Optional;
import org.docsgen.store.domain.approval.ApprovalEvent;
import org.docsgen.store.domain.artifact.ArtifactInfo;
import org.docsgen.store.domain.artifact.ArtifactType;
import org.docsgen.store.domain.artifact.LogicalPath;
import org.docsgen.store.domain.artifact.MediaTypes;
import org.docsgen.store.domain.bundle.BundlePlanner;
import org.docsgen.store.domain.execution.PhaseExecution;
import org.docsgen.store.domain.policy.ImmutabilityPolicy;
import org.docsgen.store.domain.policy.OverwriteDecision;
import org.docsgen.store.domain.policy.OverwriteFacts;
import org.docsgen.store.domain.run.Run;
import org.docsgen.store.domain.run.RunId;
import org.docsgen.store.domain.run.Stage;
import org.docsgen.store.ports.error.AlreadyExistsException;
import org.docsgen.store.ports.error.BackendUnavailableException;
import org.docsgen.store.ports.error.ImmutableException;
import org.docsgen.store.ports.error.IntegrityException;
import org.docsgen.store.ports.error.InvalidInputException;
import org.docsgen.store.ports.error.NotFoundException;
import org.docsgen.store.ports.error.PayloadTooLargeException;
import org.docsgen.store.ports.error.RangeNotSatisfiableException;
import org.docsgen.store.ports.error.RefusedException;
import org.docsgen.store.ports.guard.OverwriteTokens;
import org.docsgen.store.ports.guard.StoreGuard;
import org.docsgen.store.ports.in.ArtifactUseCases;
import org.docsgen.store.ports.out.ArtifactContent;
import org.docsgen.store.ports.out.ArtifactQuery;
import org.docsgen.store.ports.out.ArtifactRecord;
import org.docsgen.store.ports.out.ArtifactStore;
import org.docsgen.store.ports.out.ByteRange;
import org.docsgen.store.ports.out.ManifestStore;
import org.docsgen.store.ports.out.Page;
import org.docsgen.store.ports.out.PageRequest;
import org.docsgen.store.ports.out.ReadRequest;
import org.docsgen.store.ports.out.WriteContext;
import org.docsgen.store.ports.out.WriteRequest;
import org.docsgen.store.ports.out.WriteResult;

/**
 * Writes, reads and lists artifacts through both immutability layers. The write order is store
 * first, manifest second: the manifest therefore never indexes bytes the store does not hold, and a
 * failure between the two leaves an unindexed store version that {@code fsck} reports.
 */
final class ArtifactService implements ArtifactUseCases {
  private final ArtifactStore store;
  private final ManifestStore manifest;
  private final OverwriteTokens tokens;
  private final Lookups lookups;
  private final StoreGuard guard;
  private final long maxPreviewBytes;

  ArtifactService(
      ArtifactStore store,
      ManifestStore manifest,
      OverwriteTokens tokens,
      Lookups lookups,
      long maxPreviewBytes) {
    this.store = store;
    this.manifest = manifest;
    this.tokens = tokens;
    this.lookups = lookups;
    this.guard = new StoreGuard(tokens);
    this.maxPreviewBytes = maxPreviewBytes;
  }

  // ---- write

  /**
   * Everything that can be decided without the body is decided before it is read (so an HTTP
   * request with {@code Expect: 100-continue} is answered without {@code 100 Continue}): the
   * policy, create-only on an existing path, an unusable or stale token. The token's expiry is
   * judged at arrival; the store consumes it (compare-and-swap) and the manifest asks the policy
   * again where the write commits ({@link ManifestStore#recordWrite}).
   */
  @Override
  public WriteResult write(WriteCommand command, InputStream content) {
    requireNonNull(command, "command is null");
    requireNonNull(content, "content is null");
    Instant arrived = tokens.now();
    LogicalPath path = command.path();
    // the run, the stage's running execution and latest approval and the path's indexed version:
    // one read of the manifest, of one instant
    WriteContext context = lookups.requireWriteContext(path);
    Run run = context.run();
    refuseReservedPath(command);
    PhaseExecution running = context.running().orElse(null);
    ApprovalEvent approval = context.latestApproval().orElse(null);
    WriteRequest request =
        new WriteRequest(
            path,
            command.type(),
            command.mediaType(),
            command.actor(),
            command.createOnly(),
            command.overwriteToken(),
            arrived,
            null);
    Optional<ArtifactInfo> indexed = context.indexed().map(ArtifactRecord::info);
    request = request.withIndexed(indexed.orElse(null));
    Optional<ArtifactInfo> stored = store.stat(path);
    ArtifactInfo orphan =
        stored.filter(s -> indexed.isEmpty() && isUnacknowledged(s, running)).orElse(null);
    Optional<ArtifactInfo> current =
        orphan != null ? Optional.empty() : arbitrated(stored, indexed);
    ImmutableException policyRefusal = null;
    if (current.isEmpty()) {
      refuseCreate(run, path, running, approval);
    } else {
      if (request.createOnly()) {
        throw new AlreadyExistsException(path, current.get().hash());
      }
      if (request.overwriteToken() != null) {
        policyRefusal = policyRefusal(run, current.get(), running, approval);
        if (policyRefusal != null) {
          // the policy says no; without the token the store can still confirm an identical rewrite
          request = request.withToken(null);
        } else {
          guard.requireToken(request, current.get());
        }
      }
    }
    WriteResult result;
    if (orphan != null) {
      result = replaceOrphan(request, orphan, content, command.maxBytes());
    } else {
      result = writeToStore(request, content, command.maxBytes(), policyRefusal);
    }
    index(result, running, command.createOnly());
    return result;
  }

  /**
   * True when {@code stored}, the store's latest version of a path the manifest indexes nothing of
   * (the caller checked), was never acknowledged: it was stored before the stage's running
   * execution started — so it is not a write of that execution still on its way to the index (every
   * such write arrived after the execution started), but the leftover of a refused late upload or a
   * crash.
   */
  private static boolean isUnacknowledged(ArtifactInfo stored, PhaseExecution running) {
    return running != null && stored.createdAt().isBefore(running.startedAt());
  }

  /**
   * Writes a path whose only stored versions are unacknowledged leftovers as the create it is for
   * the manifest: a token minted here for the leftover lets the store put the next generation
   * beside it (or confirm the same bytes), so a refused late upload never blocks the path. Racing
   * creators still meet at the store's exclusive create of that generation.
   */
  private WriteResult replaceOrphan(
      WriteRequest request, ArtifactInfo orphan, InputStream content, long maxBytes) {
    WriteRequest replacing =
        new WriteRequest(
            request.path(),
            request.type(),
            request.mediaType(),
            request.createdBy(),
            false,
            tokens.mint(orphan.version()),
            request.tokenPresentedAt(),
            request.indexed());
    WriteResult result;
    try {
      result = writeToStore(replacing, content, maxBytes, null);
    } catch (ImmutableException e) {
      if (request.createOnly()) {
        throw new AlreadyExistsException(request.path(), e.currentHash().orElse(null));
      }
      throw e;
    }
    boolean ours =
        result.outcome() == WriteResult.Outcome.OVERWRITTEN
            || result.info().generation() == orphan.generation();
    if (ours) {
      return new WriteResult(result.info(), WriteResult.Outcome.CREATED);
    }
    if (request.createOnly()) {
      throw new AlreadyExistsException(request.path(), result.info().hash());
    }
    return result;
  }

  /**
   * The current version of a path: the store's, unless the manifest indexes another candidate of
   * the same generation. A store on an endpoint without atomic conditional puts (S3 on s3proxy) may
   * hold several candidates for one generation; across servers the manifest's unique (path,
   * generation) key decided which one is that generation.
   */
  private static Optional<ArtifactInfo> arbitrated(
      Optional<ArtifactInfo> stored, Optional<ArtifactInfo> indexed) {
    if (stored.isPresent()
        && indexed.isPresent()
        && stored.get().generation() == indexed.get().generation()) {
      return indexed;
    }
    return stored;
  }

  private static void refuseReservedPath(WriteCommand command) {
    LogicalPath path = command.path();
    if (command.type() == ArtifactType.BUNDLE
        || path.equals(BundlePlanner.bundlePath(path.runId()))
        || path.equals(BundlePlanner.attestationPath(path.runId()))) {
      throw new RefusedException(
          "reserved-path",
          path
              + ": bundles and their attestations are written only by creating the run's bundle,"
              + " never by an artifact write");
    }
  }

  private static void refuseCreate(
      Run run, LogicalPath path, PhaseExecution running, ApprovalEvent approval) {
    ImmutabilityPolicy.checkCreate(run, path.stage(), running, approval)
        .ifPresent(
            refusal -> {
              if (refusal.code().equals(ImmutabilityPolicy.NO_RUNNING_EXECUTION)) {
                throw new RefusedException(refusal.code(), path + ": " + refusal.reason());
              }
              throw new ImmutableException(
                  ImmutableException.Layer.POLICY,
                  path,
                  null,
                  refusal.code() + ": " + refusal.reason());
            });
  }

  private static ImmutableException policyRefusal(
      Run run, ArtifactInfo current, PhaseExecution running, ApprovalEvent approval) {
    OverwriteDecision decision =
        ImmutabilityPolicy.decideOverwrite(new OverwriteFacts(run, current, running, approval));
    if (decision instanceof OverwriteDecision.Refused refused) {
      return new ImmutableException(
          ImmutableException.Layer.POLICY,
          current.path(),
          current.hash(),
          refused.code() + ": " + refused.reason());
    }
    return null;
  }

  private WriteResult writeToStore(
      WriteRequest request, InputStream content, long maxBytes, ImmutableException policyRefusal) {
    LimitedInputStream limited =
        new LimitedInputStream(content, request.path(), maxBytes > 0 ? maxBytes : Long.MAX_VALUE);
    try {
      return store.write(request, limited);
    } catch (ImmutableException e) {
      throw policyRefusal != null ? policyRefusal : e;
    } catch (RuntimeException e) {
      if (limited.exceeded()) {
        throw limited.tooLarge();
      }
      throw e;
    }
  }

  /**
   * Indexes what the store acknowledged, asking the policy again in the manifest transaction that
   * indexes it ({@link ManifestStore#recordWrite}): a body still arriving when its execution
   * finished, its stage was approved or its run bundled is refused there, and its bytes stay in the
   * store unindexed (an orphan fsck reports). A (path, generation) the manifest already holds with
   * other bytes means another server's write of the same generation won the manifest's unique key:
   * this write lost the race and is reported as refused by the store layer.
   */
  private void index(WriteResult result, PhaseExecution running, boolean createOnly) {
    ArtifactInfo info = result.info();
    if (running == null) {
      // an identical rewrite with no execution running: a retry of an indexed version succeeds;
      // bytes the index does not hold are indexed only by a write of a running execution
      if (lookups.indexed(info).filter(r -> r.info().hash().equals(info.hash())).isEmpty()) {
        throw new RefusedException(
            ImmutabilityPolicy.NO_RUNNING_EXECUTION,
            info.path()
                + ": no execution of stage "
                + info.stage()
                + " is running, so these bytes are not indexed; start one and write again");
      }
      return;
    }
    try {
      manifest.recordWrite(info, running.ref());
    } catch (ImmutableException e) {
      if (createOnly
          && result.outcome() == WriteResult.Outcome.CREATED
          && e.layer() == ImmutableException.Layer.STORE) {
        throw new AlreadyExistsException(info.path(), e.currentHash().orElse(null));
      }
      throw e;
    }
  }

  // ---- read

  @Override
  public ArtifactContent read(LogicalPath path, int generation, ByteRange range) {
    return open(stat(path, generation), range);
  }

  @Override
  public ArtifactContent open(ArtifactInfo indexed, ByteRange range) {
    requireNonNull(indexed, "indexed is null");
    ReadRequest request =
        ReadRequest.of(indexed.path(), indexed.generation())
            .withHash(indexed.hash())
            .withRange(range);
    try {
      ArtifactContent content = store.open(request);
      if (content.info().size() != indexed.size()) {
        // the bytes match the indexed hash, but the index says another size: the manifest was
        // altered (a size column edited) or drifted; found by the reliability suite's tamper kind
        content.close();
        throw new IntegrityException(
            indexed.path(),
            "generation "
                + indexed.generation()
                + " is indexed with "
                + indexed.size()
                + " bytes but the artifact store holds "
                + content.info().size()
                + "; run fsck");
      }
      return content;
    } catch (NotFoundException e) {
      throw new IntegrityException(
          indexed.path(),
          "generation "
              + indexed.generation()
              + " ("
              + indexed.hash()
              + ") is indexed but missing from the artifact store; run fsck");
    }
  }

  @Override
  public ArtifactInfo stat(LogicalPath path, int generation) {
    requireNonNull(path, "path is null");
    if (generation < 0) {
      throw new InvalidInputException("generation", "generation must be >= 1 (0 = latest)");
    }
    Optional<ArtifactRecord> record =
        generation == ReadRequest.LATEST
            ? manifest.findArtifact(path)
            : manifest.findArtifact(path, generation);
    return record
        .map(ArtifactRecord::info)
        .orElseThrow(
            () ->
                new NotFoundException(
                    generation == ReadRequest.LATEST
                        ? "artifact " + path + " does not exist"
                        : "artifact " + path + " has no generation " + generation));
  }

  @Override
  public TextSlice readLines(LogicalPath path, int generation, int first, int last) {
    if (first < 1 || last < first) {
      throw new InvalidInputException(
          "lines",
          "lines are 1-based and inclusive (A-B with 1 <= A <= B), was " + first + "-" + last);
    }
    ArtifactInfo info = stat(path, generation);
    if (!MediaTypes.isText(info.mediaType())) {
      throw new InvalidInputException(
          "lines", path + " is " + info.mediaType() + ", not text; read it whole or by bytes");
    }
    LineSlicer.Slice slice;
    // a preview reads from the start up to the last line asked for, not the whole artifact, so it
    // is a range read (checked as the store checks ranges: per block on the filesystem store);
    // lines before the slice stream through, the slice itself is held only up to maxPreviewBytes
    try (ArtifactContent content = readFromStart(info)) {
      slice = LineSlicer.slice(content.stream(), first, last, maxPreviewBytes);
    } catch (LineSlicer.TooLarge e) {
      throw PayloadTooLargeException.preview(path, first, last, maxPreviewBytes);
    } catch (IOException e) {
      throw new BackendUnavailableException("artifacts", "reading " + path + " failed", e);
    }
    int lines = slice.lines();
    if (first > lines) {
      throw new RangeNotSatisfiableException(
          "line " + first + " is past the last line of " + path + " (" + lines + " lines)", lines);
    }
    return new TextSlice(info, first, Math.min(last, lines), slice.text());
  }

  private ArtifactContent readFromStart(ArtifactInfo info) {
    if (info.size() == 0) {
      return new ArtifactContent(info, null, InputStream.nullInputStream());
    }
    return read(info.path(), info.generation(), ByteRange.from(0));
  }

  @Override
  public Page<ArtifactInfo> listArtifacts(
      RunId runId, Optional<Stage> stage, Optional<ArtifactType> type, PageRequest page) {
    lookups.requireRun(runId);
    ArtifactQuery query = new ArtifactQuery(runId, stage.orElse(null), type.orElse(null), true);
    return manifest.listArtifacts(query, page).map(ArtifactRecord::info);
  }

  // ---- tokens

  @Override
  public OverwriteTokenGrant requestOverwriteToken(LogicalPath path, String actor) {
    requireNonNull(path, "path is null");
    WriteContext context = lookups.requireWriteContext(path);
    Run run = context.run();
    NotFoundException absent =
        new NotFoundException("artifact " + path + " does not exist; write it without a token");
    // bytes stored for a path the manifest indexes nothing of were never acknowledged (a refused
    // late upload); of the store's latest generation, the manifest's candidate is the current one
    Optional<ArtifactInfo> indexed = context.indexed().map(ArtifactRecord::info);
    if (indexed.isEmpty()) {
      throw absent;
    }
    ArtifactInfo current = arbitrated(store.stat(path), indexed).orElseThrow(() -> absent);
    PhaseExecution running = context.running().orElse(null);
    ApprovalEvent approval = context.latestApproval().orElse(null);
    ImmutableException refusal = policyRefusal(run, current, running, approval);
    if (refusal != null) {
      throw refusal;
    }
    return new OverwriteTokenGrant(
        tokens.mint(current.version()), current.version(), tokens.expiryOfNewToken());
  }
}
