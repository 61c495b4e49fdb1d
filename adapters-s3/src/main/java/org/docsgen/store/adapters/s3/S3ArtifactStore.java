package org.docsgen.store.adapters.s3;

import static java.util.Objects.requireNonNull;

import java.io.InputStream;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.docsgen.store.domain.artifact.ArtifactInfo;
import org.docsgen.store.domain.artifact.LogicalPath;
import org.docsgen.store.domain.run.RunId;
import org.docsgen.store.domain.run.Stage;
import org.docsgen.store.ports.error.BackendUnavailableException;
import org.docsgen.store.ports.guard.OverwriteTokens;
import org.docsgen.store.ports.guard.StoreGuard;
import org.docsgen.store.ports.out.ArtifactContent;
import org.docsgen.store.ports.out.ArtifactStore;
import org.docsgen.store.ports.out.OrphanRemoval;
import org.docsgen.store.ports.out.Page;
import org.docsgen.store.ports.out.PageRequest;
import org.docsgen.store.ports.out.ReadRequest;
import org.docsgen.store.ports.out.StoreHealth;
import org.docsgen.store.ports.out.WriteRequest;
import org.docsgen.store.ports.out.WriteResult;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * {@link ArtifactStore} on S3. Each generation's bytes live under a key of their own that names the
 * path, the generation and the SHA-256 ({@link S3Keys}); a small <em>claim</em> object per
 * generation, created with {@code If-None-Match: *}, says which bytes are that generation. Nothing
 * is ever overwritten: on an endpoint whose conditional puts are atomic (AWS S3) exactly one writer
 * claims a generation; on one where they are not (s3proxy) two writers may both be acknowledged,
 * both contents stay readable by hash, every reader resolves the one claim left in place, and the
 * manifest's unique (path, generation) key is the final arbiter. See docs/decisions.md.
 *
 * <p>This class coordinates; the parts do the work: {@link S3Startup} (client, start-up probe),
 * {@link ContentUploads} (spool and upload of the bytes), {@link ConditionalPuts} (the claim),
 * {@link S3Reads}, {@link S3Listing} (with its cursors), {@link S3Objects} (the lookups they share)
 * and {@link S3Health}.
 */
final class S3ArtifactStore implements ArtifactStore, AutoCloseable {
  /**
   * Test seam: told between the steps of a write, so a test can stop the server at an exact point.
   * Production code never sets one.
   */
  interface WriteSteps {
    void partUploaded(int partNumber);

    void contentStored(String key);
  }

  private final S3Client s3;
  private final S3Keys keys;
  private final StoreGuard guard;
  private final Clock clock;
  private final S3Objects objects;
  private final ContentUploads uploads;
  private final ConditionalPuts claims;
  private final S3Reads reads;
  private final S3Listing listing;
  private final S3Health health;

  private S3ArtifactStore(
      S3Startup.Connection connection, S3Settings settings, OverwriteTokens tokens, Clock clock) {
    this.s3 = connection.s3();
    this.keys = new S3Keys(settings.keyRoot());
    this.guard = new StoreGuard(tokens);
    this.clock = clock;
    this.objects = new S3Objects(s3, settings.bucket(), keys);
    this.uploads = new ContentUploads(s3, settings, keys, objects);
    this.claims = new ConditionalPuts(s3, settings.bucket(), keys, objects);
    this.reads = new S3Reads(s3, settings.bucket(), keys, objects);
    this.listing = new S3Listing(keys, objects);
    this.health = new S3Health(s3, settings, keys, connection.probe(), connection.checksums());
  }

  /**
   * Builds the client, probes the endpoint and returns the store ({@link S3Startup}).
   *
   * @throws IllegalStateException writes do not work with any client configuration tried, or the
   *     endpoint ignores {@code If-None-Match: *} and {@code requireConditionalWrites} is set
   * @throws BackendUnavailableException the endpoint or the bucket cannot be reached or used
   */
  static S3ArtifactStore start(S3Settings settings, OverwriteTokens tokens, Clock clock) {
    requireNonNull(settings, "settings is null");
    requireNonNull(clock, "clock is null");
    return new S3ArtifactStore(S3Startup.connect(settings), settings, tokens, clock);
  }

  /** Sets the test seam ({@code null} = none). */
  void setWriteSteps(WriteSteps newSteps) {
    uploads.setWriteSteps(newSteps);
  }

  S3Keys keys() {
    return keys;
  }

  // ---------------------------------------------------------------- write

  @Override
  public WriteResult write(WriteRequest request, InputStream content) {
    requireNonNull(request, "request is null");
    requireNonNull(content, "content is null");
    try {
      WriteResult result = writeOnce(request, content);
      health.writeSucceeded();
      return result;
    } catch (BackendUnavailableException e) {
      // health() reports DOWN until a write, or its own probe write, works again
      health.writeFailed(e.getMessage());
      throw e;
    }
  }

  /** Stage and hash, let the guard decide, store the bytes, then claim the generation. */
  private WriteResult writeOnce(WriteRequest request, InputStream content) {
    LogicalPath path = request.path();
    try (Spool spool = uploads.spool(path, content)) {
      StoreGuard.Decision decision = guard.decide(request, current(request), spool.hash());
      if (decision instanceof StoreGuard.Decision.Unchanged unchanged) {
        return new WriteResult(unchanged.existing(), WriteResult.Outcome.UNCHANGED);
      }
      int generation = ((StoreGuard.Decision.Create) decision).generation();
      VersionRecord mine =
          new VersionRecord(
              new ArtifactInfo(
                  path,
                  request.type(),
                  spool.hash(),
                  spool.size(),
                  request.mediaType(),
                  request.createdBy(),
                  clock.instant(),
                  generation),
              UUID.randomUUID().toString());
      uploads.store(mine, spool);
      return claims.claim(request, mine);
    }
  }

  /**
   * The version the guard decides against: the claimed one, unless the request names another
   * candidate of the same generation that the manifest indexes. On an endpoint whose conditional
   * puts are not atomic two writers can both claim a generation; the claim left in place is the
   * last written, while the manifest's unique (path, generation) key kept the first indexed, and
   * the manifest is the arbiter. The indexed candidate counts only if its bytes are here.
   */
  private Optional<ArtifactInfo> current(WriteRequest request) {
    Optional<ArtifactInfo> claimed = stat(request.path());
    ArtifactInfo indexed = request.indexed();
    if (indexed == null
        || claimed.isEmpty()
        || claimed.get().generation() != indexed.generation()
        || claimed.get().hash().equals(indexed.hash())) {
      return claimed;
    }
    try {
      String key = keys.contentKey(indexed.path(), indexed.generation(), indexed.hash());
      return objects.head(key).isPresent() ? Optional.of(indexed) : claimed;
    } catch (SdkException e) {
      throw S3Failures.translate("looking up " + request.path(), e);
    }
  }

  // ---------------------------------------------------------------- read

  @Override
  public ArtifactContent open(ReadRequest request) {
    requireNonNull(request, "request is null");
    return reads.open(request);
  }

  @Override
  public Optional<ArtifactInfo> stat(LogicalPath path) {
    requireNonNull(path, "path is null");
    try {
      Optional<Integer> generation = objects.latestClaimedGeneration(path);
      return generation.flatMap(g -> objects.readClaim(path, g)).map(VersionRecord::info);
    } catch (SdkException e) {
      throw S3Failures.translate("looking up " + path, e);
    }
  }

  @Override
  public Optional<ArtifactInfo> stat(LogicalPath path, int generation) {
    requireNonNull(path, "path is null");
    if (generation < 1) {
      return Optional.empty();
    }
    try {
      return objects.readClaim(path, generation).map(VersionRecord::info);
    } catch (SdkException e) {
      throw S3Failures.translate("looking up " + path + " generation " + generation, e);
    }
  }

  // ---------------------------------------------------------------- list

  @Override
  public Page<ArtifactInfo> list(RunId runId, Optional<Stage> stage, PageRequest page) {
    requireNonNull(runId, "runId is null");
    requireNonNull(stage, "stage is null");
    requireNonNull(page, "page is null");
    return listing.list(runId, stage, page);
  }

  @Override
  public Page<ArtifactInfo> listVersions(RunId runId, PageRequest page) {
    requireNonNull(runId, "runId is null");
    requireNonNull(page, "page is null");
    return listing.listVersions(runId, page);
  }

  // ---------------------------------------------------------------- orphans

  /**
   * Checks the claim, then deletes it (the version disappears for every reader at once) and then
   * the claimed content object. A failure between the two leaves an unclaimed content object,
   * invisible like a crashed write's. Other candidates of the generation are not touched.
   */
  @Override
  public OrphanRemoval deleteOrphan(ArtifactInfo orphan, Instant createdBefore) {
    requireNonNull(orphan, "orphan is null");
    requireNonNull(createdBefore, "createdBefore is null");
    LogicalPath path = orphan.path();
    int generation = orphan.generation();
    try {
      Optional<ArtifactInfo> claimed = objects.readClaim(path, generation).map(VersionRecord::info);
      if (claimed.isEmpty()) {
        return OrphanRemoval.ABSENT;
      }
      Optional<OrphanRemoval> kept = OrphanRemoval.keptFor(claimed.get(), orphan, createdBefore);
      if (kept.isPresent()) {
        return kept.get();
      }
      if (objects.latestClaimedGeneration(path).orElse(0) != generation) {
        return OrphanRemoval.NOT_LATEST;
      }
      objects.delete(keys.claimKey(path, generation));
      objects.delete(keys.contentKey(path, generation, orphan.hash()));
      return OrphanRemoval.REMOVED;
    } catch (SdkException e) {
      throw S3Failures.translate("removing orphan " + path + " generation " + generation, e);
    }
  }

  // ---------------------------------------------------------------- health

  /** See {@link S3Health}: UP when the bucket answers and writes work. */
  @Override
  public StoreHealth health() {
    return health.check();
  }

  @Override
  public void close() {
    s3.close();
  }
}
