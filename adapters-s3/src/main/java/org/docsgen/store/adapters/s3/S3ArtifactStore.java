package org.docsgen.store.adapters.s3;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.docsgen.store.domain.artifact.ArtifactInfo;
import org.docsgen.store.domain.artifact.ContentHash;
import org.docsgen.store.domain.artifact.LogicalPath;
import org.docsgen.store.domain.run.RunId;
import org.docsgen.store.domain.run.Stage;
import org.docsgen.store.ports.error.AlreadyExistsException;
import org.docsgen.store.ports.error.BackendUnavailableException;
import org.docsgen.store.ports.error.IntegrityException;
import org.docsgen.store.ports.error.InvalidInputException;
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
import org.docsgen.store.ports.stream.VerifyingInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * {@link ArtifactStore} on S3. Each generation's bytes live under a key of their own that names the
 * path, the generation and the SHA-256 ({@link S3Keys}); a small <em>claim</em> object per
 * generation, created with {@code If-None-Match: *}, says which bytes are that generation. Nothing
 * is ever overwritten: on an endpoint whose conditional puts are atomic (AWS S3) exactly one writer
 * claims a generation; on one where they are not (s3proxy) two writers may both be acknowledged,
 * both contents stay readable by hash, every reader resolves the one claim left in place, and the
 * manifest's unique (path, generation) key is the final arbiter. See docs/decisions.md.
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

  private static final Logger LOG = LoggerFactory.getLogger(S3ArtifactStore.class);
  private static final int CLAIM_CONFLICT_RETRIES = 5;
  private static final int CLAIM_IO_RETRIES = 4;

  private final S3Client s3;
  private final S3Settings settings;
  private final S3Keys keys;
  private final StoreGuard guard;
  private final Clock clock;
  private final ConditionalWriteProbe.Result probe;
  private final String checksums;

  /** Why the latest write failed for a backend reason; {@code null} once a write succeeded. */
  private volatile String writeFailure;

  private volatile WriteSteps steps;

  private S3ArtifactStore(
      S3Client s3,
      S3Settings settings,
      OverwriteTokens tokens,
      Clock clock,
      ConditionalWriteProbe.Result probe,
      String checksums) {
    this.s3 = s3;
    this.settings = settings;
    this.keys = new S3Keys(settings.keyRoot());
    this.guard = new StoreGuard(tokens);
    this.clock = clock;
    this.probe = probe;
    this.checksums = checksums;
  }

  /**
   * Builds the client, probes the endpoint and returns the store. The probe writes and reads back a
   * probe key; with {@code checksumsWhenRequired} unset it tries the SDK's default checksums first
   * and, when the endpoint refuses them, checksums only when required (an explicit setting is used
   * as given). Then it checks that a second conditional put of the key is refused.
   *
   * @throws IllegalStateException writes do not work with any client configuration tried, or the
   *     endpoint ignores {@code If-None-Match: *} and {@code requireConditionalWrites} is set
   * @throws BackendUnavailableException the endpoint or the bucket cannot be reached or used
   */
  static S3ArtifactStore start(S3Settings settings, OverwriteTokens tokens, Clock clock) {
    requireNonNull(settings, "settings is null");
    requireNonNull(clock, "clock is null");
    Boolean configured = settings.checksumsWhenRequired();
    List<Boolean> modes = configured == null ? List.of(false, true) : List.of(configured);
    List<String> refusals = new ArrayList<>();
    for (boolean whenRequired : modes) {
      S3Client s3 = S3ClientFactory.create(settings, whenRequired);
      try {
        ConditionalWriteProbe.Result probe = probe(s3, settings);
        if (probe.writesWork()) {
          String checksums = checksumsDetail(configured, whenRequired, refusals);
          LOG.info("S3 artifact store on {}: {}", where(settings), checksums);
          return guardedOrRefused(s3, settings, tokens, clock, probe, checksums);
        }
        refusals.add(probe.detail() + " " + modeName(whenRequired));
        s3.close();
      } catch (RuntimeException e) {
        s3.close();
        throw e;
      }
    }
    throw new IllegalStateException(
        "refusing to start the S3 artifact store on "
            + where(settings)
            + ": writes do not work: "
            + String.join("; ", refusals)
            + (configured == null
                ? ""
                : ". artifacts.s3.checksumsWhenRequired is set to "
                    + configured
                    + "; remove it to let the start-up probe decide"));
  }

  private static ConditionalWriteProbe.Result probe(S3Client s3, S3Settings settings) {
    try {
      return ConditionalWriteProbe.run(
          s3, settings.bucket(), new S3Keys(settings.keyRoot()).newProbeKey());
    } catch (SdkException e) {
      throw S3Failures.translate("probing writes on bucket " + settings.bucket(), e);
    }
  }

  private static S3ArtifactStore guardedOrRefused(
      S3Client s3,
      S3Settings settings,
      OverwriteTokens tokens,
      Clock clock,
      ConditionalWriteProbe.Result probe,
      String checksums) {
    if (!probe.honoured() && settings.requireConditionalWrites()) {
      throw new IllegalStateException(
          "refusing to start the S3 artifact store on "
              + where(settings)
              + ": "
              + probe.detail()
              + ". Without it the store guard cannot make the creation of a generation"
              + " exclusive. Use an endpoint that honours conditional puts (AWS S3, s3proxy"
              + " >= 2.9), or set requireConditionalWrites=false to run unguarded.");
    }
    return new S3ArtifactStore(s3, settings, tokens, clock, probe, checksums);
  }

  private static String checksumsDetail(
      Boolean configured, boolean whenRequired, List<String> refusals) {
    if (configured != null) {
      return modeName(whenRequired).replace("with ", "") + " (configured)";
    }
    if (refusals.isEmpty()) {
      return modeName(whenRequired).replace("with ", "") + " (start-up probe)";
    }
    return modeName(whenRequired).replace("with ", "")
        + " (start-up probe: "
        + String.join("; ", refusals)
        + ")";
  }

  private static String modeName(boolean whenRequired) {
    return whenRequired
        ? "with SDK checksums only when required"
        : "with the SDK's default checksums";
  }

  private static String where(S3Settings settings) {
    return "bucket "
        + settings.bucket()
        + (settings.endpoint().isEmpty() ? "" : " at " + settings.endpoint());
  }

  /** Sets the test seam ({@code null} = none). */
  void setWriteSteps(WriteSteps newSteps) {
    this.steps = newSteps;
  }

  private void contentStored(String key) {
    WriteSteps current = steps;
    if (current != null) {
      current.contentStored(key);
    }
  }

  private void partUploaded(int partNumber) {
    WriteSteps current = steps;
    if (current != null) {
      current.partUploaded(partNumber);
    }
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
      writeFailure = null;
      return result;
    } catch (BackendUnavailableException e) {
      // health() reports DOWN until a write, or its own probe write, works again
      writeFailure = e.getMessage();
      throw e;
    }
  }

  private WriteResult writeOnce(WriteRequest request, InputStream content) {
    LogicalPath path = request.path();
    try (Spool spool = spool(path, content)) {
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
      storeContent(mine, spool);
      return claim(request, mine);
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
      return head(key).isPresent() ? Optional.of(indexed) : claimed;
    } catch (SdkException e) {
      throw S3Failures.translate("looking up " + request.path(), e);
    }
  }

  private Spool spool(LogicalPath path, InputStream content) {
    try {
      return Spool.fill(content, settings.spoolDirectory(), settings.maxArtifactBytes());
    } catch (IOException e) {
      throw S3Failures.translate("staging " + path, e);
    }
  }

  /** Uploads the candidate's bytes to their own key, unless identical bytes are already there. */
  private void storeContent(VersionRecord record, Spool spool) {
    ArtifactInfo info = record.info();
    String key = keys.contentKey(info.path(), info.generation(), info.hash());
    String doing = "writing " + info.path() + " generation " + info.generation();
    try {
      Optional<HeadObjectResponse> existing = head(key);
      if (existing.isPresent()) {
        VersionRecord there = VersionRecord.fromMetadata(info.path(), existing.get().metadata());
        if (there.info().hash().equals(info.hash()) && there.info().size() == info.size()) {
          contentStored(key);
          return;
        }
      }
      if (spool.size() <= settings.multipartThresholdBytes()) {
        putSingle(key, record, spool);
      } else {
        putMultipart(key, record, spool);
      }
      contentStored(key);
    } catch (SdkException | UncheckedIOException e) {
      // UncheckedIOException: the spool file could not be re-read for a part
      throw S3Failures.translate(doing, e);
    }
  }

  private void putSingle(String key, VersionRecord record, Spool spool) {
    try {
      s3.putObject(
          b ->
              ConditionalPuts.createOnly(b, settings.bucket(), key)
                  .contentType(record.info().mediaType())
                  .metadata(record.toMetadata()),
          RequestBody.fromFile(spool.file()));
    } catch (SdkException e) {
      // 412: a concurrent writer stored these very bytes (the key contains their hash)
      if (!S3Failures.isConditionFailed(e)) {
        throw e;
      }
    }
  }

  private void putMultipart(String key, VersionRecord record, Spool spool) {
    String uploadId =
        s3.createMultipartUpload(
                b ->
                    b.bucket(settings.bucket())
                        .key(key)
                        .contentType(record.info().mediaType())
                        .metadata(record.toMetadata()))
            .uploadId();
    try {
      List<CompletedPart> parts = new ArrayList<>();
      long partSize = settings.partSizeBytes();
      int partNumber = 1;
      for (long offset = 0; offset < spool.size(); offset += partSize, partNumber++) {
        long length = Math.min(partSize, spool.size() - offset);
        long from = offset;
        int number = partNumber;
        String etag =
            s3.uploadPart(
                    b ->
                        b.bucket(settings.bucket())
                            .key(key)
                            .uploadId(uploadId)
                            .partNumber(number)
                            .contentLength(length),
                    RequestBody.fromContentProvider(
                        () -> openSlice(spool, from, length), length, "application/octet-stream"))
                .eTag();
        parts.add(CompletedPart.builder().partNumber(number).eTag(etag).build());
        partUploaded(number);
      }
      s3.completeMultipartUpload(
          b ->
              b.bucket(settings.bucket())
                  .key(key)
                  .uploadId(uploadId)
                  .multipartUpload(m -> m.parts(parts)));
    } catch (RuntimeException e) {
      abortQuietly(key, uploadId);
      throw e;
    }
  }

  private static InputStream openSlice(Spool spool, long offset, long length) {
    try {
      return spool.slice(offset, length);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void abortQuietly(String key, String uploadId) {
    try {
      s3.abortMultipartUpload(b -> b.bucket(settings.bucket()).key(key).uploadId(uploadId));
    } catch (SdkException ignored) {
      // an abandoned upload is invisible to readers; a bucket lifecycle rule reaps it
    }
  }

  /**
   * Claims the generation with a conditional put. The claim is read back: on an endpoint whose
   * conditional puts are not atomic another writer may have replaced it, and then this write lost.
   */
  private WriteResult claim(WriteRequest request, VersionRecord mine) {
    ArtifactInfo info = mine.info();
    String claimKey = keys.claimKey(info.path(), info.generation());
    String doing = "claiming " + info.path() + " generation " + info.generation();
    try {
      putClaimOrLearnTheWinner(claimKey, mine);
      VersionRecord winner =
          readClaimPatiently(info.path(), info.generation())
              .orElseThrow(
                  () ->
                      new BackendUnavailableException(
                          S3Failures.BACKEND,
                          doing + ": the claim vanished right after it was written",
                          null));
      if (winner.writer().equals(mine.writer())) {
        return new WriteResult(
            info,
            info.generation() == 1 ? WriteResult.Outcome.CREATED : WriteResult.Outcome.OVERWRITTEN);
      }
      if (request.createOnly()) {
        throw new AlreadyExistsException(info.path(), winner.info().hash());
      }
      if (winner.info().hash().equals(info.hash())) {
        return new WriteResult(winner.info(), WriteResult.Outcome.UNCHANGED);
      }
      throw StoreGuard.lostRace(winner.info());
    } catch (SdkException e) {
      throw S3Failures.translate(doing, e);
    }
  }

  /**
   * Puts the claim. When the connection fails before the answer arrives (s3proxy resets some
   * connections of losing conditional puts under load) the request may or may not have taken
   * effect, and a competing claim may not be visible yet. The claim itself says who won, so a claim
   * that exists ends the attempt (the read-back decides); otherwise the conditional put is tried
   * again, which is safe because it never replaces a claim. A server that is really down fails the
   * read-back too, and that is reported.
   */
  private void putClaimOrLearnTheWinner(String claimKey, VersionRecord mine) {
    for (int attempt = 1; ; attempt++) {
      try {
        putClaim(claimKey, mine);
        return;
      } catch (SdkClientException e) {
        if (claimVisible(mine)) {
          return;
        }
        if (attempt >= CLAIM_IO_RETRIES) {
          throw e;
        }
        sleepBriefly(attempt);
      }
    }
  }

  /**
   * Whether a claim for {@code mine}'s generation can be read now. A client-side failure of the
   * read itself (the endpoint just reset many connections, and the pool may hand out one of them)
   * counts as "not known yet", so the caller tries again instead of giving up.
   */
  private boolean claimVisible(VersionRecord mine) {
    try {
      return readClaim(mine.info().path(), mine.info().generation()).isPresent();
    } catch (SdkClientException e) {
      return false;
    }
  }

  /**
   * Reads a claim, retrying client-side I/O failures a few times: right after a burst of refused
   * conditional puts the endpoint may have closed connections the pool still holds.
   */
  private Optional<VersionRecord> readClaimPatiently(LogicalPath path, int generation) {
    for (int attempt = 1; ; attempt++) {
      try {
        return readClaim(path, generation);
      } catch (SdkClientException e) {
        if (attempt >= CLAIM_IO_RETRIES) {
          throw e;
        }
        sleepBriefly(attempt);
      }
    }
  }

  /** Puts the claim unless one exists (412); retries AWS's 409 for concurrent conditional puts. */
  private void putClaim(String claimKey, VersionRecord mine) {
    for (int attempt = 1; ; attempt++) {
      try {
        s3.putObject(
            b ->
                ConditionalPuts.createOnly(b, settings.bucket(), claimKey)
                    .contentType("text/plain; charset=utf-8"),
            RequestBody.fromBytes(mine.toClaimBody()));
        return;
      } catch (SdkException e) {
        if (S3Failures.isConditionFailed(e)) {
          return;
        }
        if (!S3Failures.isConditionalConflict(e) || attempt >= CLAIM_CONFLICT_RETRIES) {
          throw e;
        }
        sleepBriefly(attempt);
      }
    }
  }

  private static void sleepBriefly(int attempt) {
    try {
      Thread.sleep(20L * attempt);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  // ---------------------------------------------------------------- read

  @Override
  public ArtifactContent open(ReadRequest request) {
    requireNonNull(request, "request is null");
    LogicalPath path = request.path();
    String doing = "reading " + path;
    try {
      ArtifactInfo info = resolve(request);
      String key = keys.contentKey(path, info.generation(), info.hash());
      ByteRange range = request.range() == null ? null : request.range().clip(info.size());
      ResponseInputStream<GetObjectResponse> body = getContent(key, range, info);
      S3ReadStream stream = new S3ReadStream(body, doing);
      if (range != null) {
        return new ArtifactContent(info, range, stream);
      }
      return new ArtifactContent(info, null, new VerifyingInputStream(stream, info));
    } catch (SdkException e) {
      throw S3Failures.translate(doing, e);
    }
  }

  /** The version a read names: exactly the expected hash when given, else the claimed one. */
  private ArtifactInfo resolve(ReadRequest request) {
    LogicalPath path = request.path();
    int generation = request.generation();
    if (generation == ReadRequest.LATEST) {
      generation =
          latestClaimedGeneration(path)
              .orElseThrow(() -> new NotFoundException("artifact " + path + " does not exist"));
    }
    if (request.expectedHash() == null) {
      int wanted = generation;
      return readClaim(path, generation)
          .map(VersionRecord::info)
          .orElseThrow(
              () -> new NotFoundException("artifact " + path + " has no generation " + wanted));
    }
    ContentHash expected = request.expectedHash();
    String key = keys.contentKey(path, generation, expected);
    HeadObjectResponse head =
        head(key)
            .orElseThrow(
                () ->
                    new NotFoundException(
                        "artifact "
                            + path
                            + " has no generation "
                            + request.generation()
                            + " with hash "
                            + expected));
    ArtifactInfo described = VersionRecord.fromMetadata(path, head.metadata()).info();
    // the bytes are verified against the caller's (the manifest's) hash and the generation the key
    // names, never against what the object's own metadata claims: whoever can replace the bytes
    // of an object can replace its metadata too
    return new ArtifactInfo(
        path,
        described.type(),
        expected,
        described.size(),
        described.mediaType(),
        described.createdBy(),
        described.createdAt(),
        generation);
  }

  private ResponseInputStream<GetObjectResponse> getContent(
      String key, ByteRange range, ArtifactInfo info) {
    try {
      return s3.getObject(
          b -> {
            b.bucket(settings.bucket()).key(key);
            if (range != null) {
              b.range("bytes=" + range.first() + "-" + range.last());
            }
          });
    } catch (SdkException e) {
      if (S3Failures.isNotFound(e)) {
        throw new IntegrityException(
            info.path(),
            "generation " + info.generation() + " is claimed but its content object is missing");
      }
      throw e;
    }
  }

  @Override
  public Optional<ArtifactInfo> stat(LogicalPath path) {
    requireNonNull(path, "path is null");
    try {
      Optional<Integer> generation = latestClaimedGeneration(path);
      return generation.flatMap(g -> readClaim(path, g)).map(VersionRecord::info);
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
      return readClaim(path, generation).map(VersionRecord::info);
    } catch (SdkException e) {
      throw S3Failures.translate("looking up " + path + " generation " + generation, e);
    }
  }

  /** The latest claimed generation; empty when the path was never (completely) written. */
  private Optional<Integer> latestClaimedGeneration(LogicalPath path) {
    Integer latest = null;
    for (S3Object object : listFrom(keys.versionsPrefix(path), null)) {
      Optional<S3Keys.ParsedKey> parsed = keys.parse(object.key());
      if (parsed.isPresent() && parsed.get().isClaim()) {
        latest = parsed.get().generation();
      }
    }
    return Optional.ofNullable(latest);
  }

  private Optional<VersionRecord> readClaim(LogicalPath path, int generation) {
    try {
      byte[] body =
          s3.getObjectAsBytes(b -> b.bucket(settings.bucket()).key(keys.claimKey(path, generation)))
              .asByteArray();
      return Optional.of(VersionRecord.fromClaimBody(path, body));
    } catch (SdkException e) {
      if (S3Failures.isNotFound(e)) {
        return Optional.empty();
      }
      throw e;
    }
  }

  private Optional<HeadObjectResponse> head(String key) {
    try {
      return Optional.of(s3.headObject(b -> b.bucket(settings.bucket()).key(key)));
    } catch (SdkException e) {
      if (S3Failures.isNotFound(e)) {
        return Optional.empty();
      }
      throw e;
    }
  }

  // ---------------------------------------------------------------- list

  @Override
  public Page<ArtifactInfo> list(RunId runId, Optional<Stage> stage, PageRequest page) {
    requireNonNull(runId, "runId is null");
    requireNonNull(stage, "stage is null");
    requireNonNull(page, "page is null");
    String prefix = stage.map(s -> keys.stagePrefix(runId, s)).orElse(keys.runPrefix(runId));
    String doing = "listing run " + runId + stage.map(s -> " stage " + s).orElse("");
    try {
      String startAfter =
          page.cursorValue().map(c -> keys.afterAllVersions(pathCursor(c, runId))).orElse(null);
      List<S3Keys.ParsedKey> latest = new ArrayList<>();
      S3Keys.ParsedKey current = null;
      for (S3Object object : listFrom(prefix, startAfter)) {
        Optional<S3Keys.ParsedKey> parsed = keys.parse(object.key());
        if (parsed.isEmpty() || !parsed.get().isClaim()) {
          continue;
        }
        S3Keys.ParsedKey claim = parsed.get();
        if (current != null && !current.path().equals(claim.path())) {
          latest.add(current);
          if (latest.size() > page.limit()) {
            break;
          }
        }
        current = claim;
      }
      if (current != null && latest.size() <= page.limit()) {
        latest.add(current);
      }
      boolean more = latest.size() > page.limit();
      List<S3Keys.ParsedKey> items = more ? latest.subList(0, page.limit()) : latest;
      List<ArtifactInfo> infos = claimedInfos(items);
      String next = more ? encodeCursor(items.get(items.size() - 1).path().toString()) : null;
      return new Page<>(infos, next);
    } catch (SdkException e) {
      throw S3Failures.translate(doing, e);
    }
  }

  @Override
  public Page<ArtifactInfo> listVersions(RunId runId, PageRequest page) {
    requireNonNull(runId, "runId is null");
    requireNonNull(page, "page is null");
    try {
      String startAfter = page.cursorValue().map(c -> versionCursor(c, runId)).orElse(null);
      List<S3Keys.ParsedKey> claims = new ArrayList<>();
      for (S3Object object : listFrom(keys.runPrefix(runId), startAfter)) {
        Optional<S3Keys.ParsedKey> parsed = keys.parse(object.key());
        if (parsed.isPresent() && parsed.get().isClaim()) {
          claims.add(parsed.get());
          if (claims.size() > page.limit()) {
            break;
          }
        }
      }
      boolean more = claims.size() > page.limit();
      List<S3Keys.ParsedKey> items = more ? claims.subList(0, page.limit()) : claims;
      String next = null;
      if (more) {
        S3Keys.ParsedKey last = items.get(items.size() - 1);
        next = encodeCursor(last.path() + "\n" + last.generation());
      }
      return new Page<>(claimedInfos(items), next);
    } catch (SdkException e) {
      throw S3Failures.translate("listing the versions of run " + runId, e);
    }
  }

  private List<ArtifactInfo> claimedInfos(List<S3Keys.ParsedKey> claims) {
    List<ArtifactInfo> infos = new ArrayList<>(claims.size());
    for (S3Keys.ParsedKey claim : claims) {
      readClaim(claim.path(), claim.generation()).map(VersionRecord::info).ifPresent(infos::add);
    }
    return infos;
  }

  /** ListObjectsV2, page after page (lazily), from {@code startAfter} (exclusive) on. */
  private Iterable<S3Object> listFrom(String prefix, String startAfter) {
    return s3.listObjectsV2Paginator(
            b -> {
              b.bucket(settings.bucket()).prefix(prefix).maxKeys(1000);
              if (startAfter != null) {
                b.startAfter(startAfter);
              }
            })
        .contents();
  }

  private static String encodeCursor(String text) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(UTF_8));
  }

  private static String decodeCursor(String cursor) {
    try {
      return new String(Base64.getUrlDecoder().decode(cursor), UTF_8);
    } catch (IllegalArgumentException e) {
      throw invalidCursor(cursor);
    }
  }

  private static LogicalPath pathCursor(String cursor, RunId runId) {
    try {
      LogicalPath path = LogicalPath.parse(decodeCursor(cursor));
      if (path.runId().equals(runId)) {
        return path;
      }
    } catch (IllegalArgumentException e) {
      // falls through to the refusal
    }
    throw invalidCursor(cursor);
  }

  private String versionCursor(String cursor, RunId runId) {
    String[] parts = decodeCursor(cursor).split("\n", -1);
    if (parts.length == 2) {
      try {
        LogicalPath path = LogicalPath.parse(parts[0]);
        int generation = Integer.parseInt(parts[1]);
        if (path.runId().equals(runId) && generation >= 1) {
          return keys.claimKey(path, generation);
        }
      } catch (IllegalArgumentException e) {
        // falls through to the refusal
      }
    }
    throw invalidCursor(cursor);
  }

  private static InvalidInputException invalidCursor(String cursor) {
    return new InvalidInputException(
        "cursor", "the cursor '" + cursor + "' was not issued by this listing");
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
      Optional<ArtifactInfo> claimed = readClaim(path, generation).map(VersionRecord::info);
      if (claimed.isEmpty()) {
        return OrphanRemoval.ABSENT;
      }
      Optional<OrphanRemoval> kept = OrphanRemoval.keptFor(claimed.get(), orphan, createdBefore);
      if (kept.isPresent()) {
        return kept.get();
      }
      if (latestClaimedGeneration(path).orElse(0) != generation) {
        return OrphanRemoval.NOT_LATEST;
      }
      s3.deleteObject(b -> b.bucket(settings.bucket()).key(keys.claimKey(path, generation)));
      String content = keys.contentKey(path, generation, orphan.hash());
      s3.deleteObject(b -> b.bucket(settings.bucket()).key(content));
      return OrphanRemoval.REMOVED;
    } catch (SdkException e) {
      throw S3Failures.translate("removing orphan " + path + " generation " + generation, e);
    }
  }

  // ---------------------------------------------------------------- health

  /**
   * UP when the bucket answers and writes work: the start-up probe wrote and read back, and either
   * the latest write succeeded or, after a write failed for a backend reason, a probe write round
   * trip made now succeeds. A refused write (guard, policy, size) is not a failure of the backend.
   */
  @Override
  public StoreHealth health() {
    boolean guarded = probe.honoured();
    String where = where(settings);
    try {
      s3.headBucket(b -> b.bucket(settings.bucket()));
      String failure = writeFailure;
      if (failure != null) {
        ConditionalWriteProbe.Result trip =
            ConditionalWriteProbe.roundTrip(s3, settings.bucket(), keys.newProbeKey());
        if (!trip.writesWork()) {
          return new StoreHealth(S3Failures.BACKEND, false, guarded, where + ": " + trip.detail());
        }
        writeFailure = null;
      }
      return new StoreHealth(
          S3Failures.BACKEND,
          true,
          guarded,
          where
              + "; "
              + checksums
              + "; "
              + (guarded
                  ? probe.detail()
                  : "UNGUARDED: " + probe.detail() + " (requireConditionalWrites=false)"));
    } catch (RuntimeException e) {
      String reason =
          e instanceof SdkException sdk
              ? S3Failures.translate("checking " + where, sdk).getMessage()
              : e.toString();
      return new StoreHealth(S3Failures.BACKEND, false, guarded, reason);
    }
  }

  @Override
  public void close() {
    s3.close();
  }
}
