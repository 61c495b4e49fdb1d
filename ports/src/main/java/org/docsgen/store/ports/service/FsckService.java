package org.docsgen.store.ports.service;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.docsgen.store.domain.artifact.ArtifactInfo;
import org.docsgen.store.domain.run.Run;
import org.docsgen.store.domain.run.RunId;
import org.docsgen.store.ports.error.BackendUnavailableException;
import org.docsgen.store.ports.error.IntegrityException;
import org.docsgen.store.ports.error.NotFoundException;
import org.docsgen.store.ports.error.RangeNotSatisfiableException;
import org.docsgen.store.ports.in.FsckUseCases;
import org.docsgen.store.ports.out.ArtifactContent;
import org.docsgen.store.ports.out.ArtifactQuery;
import org.docsgen.store.ports.out.ArtifactRecord;
import org.docsgen.store.ports.out.ArtifactStore;
import org.docsgen.store.ports.out.ByteRange;
import org.docsgen.store.ports.out.ManifestStore;
import org.docsgen.store.ports.out.OrphanRemoval;
import org.docsgen.store.ports.out.ReadRequest;
import org.docsgen.store.ports.stream.DigestingInputStream;

/**
 * Sorts what the manifest's index and the artifact store disagree about, run by run, page by page.
 *
 * <p><b>Drift</b> (an integrity failure, never repaired): {@value #MISSING} (indexed, not in the
 * store), {@value #MISMATCH} (the store holds that generation with another hash or size, or its
 * bytes are absent or of another length), {@value #CORRUPT} (deep only: the bytes do not hash to
 * the indexed hash), {@value #CONFLICT} (the store's version of an indexed generation has other
 * bytes than the index and the index's own bytes are not there), {@value #UNREADABLE} (the store
 * cannot describe a version).
 *
 * <p><b>Orphans</b> ({@value Finding#ORPHAN}): versions in the store that no index entry names. The
 * write order (store, then index) means nobody was ever told they were written — a crash between
 * the two, a refused late upload — so they are harmless: reported and counted, never indexed, never
 * attributed to an execution (which would make a {@code SUCCEEDED} one's orphan bundle-eligible
 * without validation). Repair removes those the store stamped before the grace window, newest
 * generation first ({@link ArtifactStore#deleteOrphan}), after asking the index once more right
 * before each removal.
 *
 * <p>Without {@code deep} an indexed version's bytes are checked for presence and size by reading
 * their last byte (no hashing); {@code deep} re-reads and re-hashes every version.
 */
final class FsckService implements FsckUseCases {
  static final String MISSING = "missing";
  static final String MISMATCH = "mismatch";
  static final String CORRUPT = "corrupt";
  static final String CONFLICT = "conflict";
  static final String UNREADABLE = "unreadable";

  private final ArtifactStore store;
  private final ManifestStore manifest;
  private final Clock clock;

  FsckService(ArtifactStore store, ManifestStore manifest, Clock clock) {
    this.store = store;
    this.manifest = manifest;
    this.clock = clock;
  }

  @Override
  public FsckReport fsck(
      Optional<RunId> run, boolean deep, boolean repair, Duration orphanGrace, Progress progress) {
    requireNonNull(run, "run is null");
    requireNonNull(orphanGrace, "orphanGrace is null");
    if (orphanGrace.isNegative()) {
      throw new IllegalArgumentException(
          "the orphan grace window must be zero or more seconds, was " + orphanGrace);
    }
    Progress reporter = progress == null ? Progress.none() : progress;
    Scan scan = new Scan(deep, repair, clock.instant().minus(orphanGrace), orphanGrace, reporter);
    if (run.isPresent()) {
      manifest
          .findRun(run.get())
          .orElseThrow(() -> new NotFoundException("run " + run.get() + " does not exist"));
      scan.run(run.get());
    } else {
      Lookups.forEach(manifest::listRuns, (Run r) -> scan.run(r.runId()));
    }
    return new FsckReport(scan.checked, scan.findings);
  }

  /** One fsck pass. */
  private final class Scan {
    private final boolean deep;
    private final boolean repair;
    private final Instant orphanCutoff;
    private final Duration orphanGrace;
    private final Progress progress;
    private final List<Finding> findings = new ArrayList<>();
    private final java.util.Set<String> mismatched = new java.util.HashSet<>();

    /** Orphans of one path awaiting removal, oldest generation first (the listing's order). */
    private final List<ArtifactInfo> pendingOrphans = new ArrayList<>();

    private long checked;

    Scan(
        boolean deep,
        boolean repair,
        Instant orphanCutoff,
        Duration orphanGrace,
        Progress progress) {
      this.deep = deep;
      this.repair = repair;
      this.orphanCutoff = orphanCutoff;
      this.orphanGrace = orphanGrace;
      this.progress = progress;
    }

    void run(RunId runId) {
      Lookups.forEach(
          page -> manifest.listArtifacts(ArtifactQuery.allVersions(runId), page),
          this::checkIndexed);
      try {
        Lookups.forEach(page -> store.listVersions(runId, page), this::checkStored);
      } catch (IntegrityException e) {
        // a store that cannot describe one of its versions cannot list past it either: report
        // it and go on with the next run rather than abort the whole check
        findings.add(
            new Finding(
                UNREADABLE,
                runId.toString(),
                0,
                "listing the stored versions stopped: " + e.getMessage(),
                true,
                false));
      } finally {
        removePendingOrphans();
      }
    }

    private void visited(ArtifactInfo info) {
      checked++;
      progress.checked(checked, info.path() + "@" + info.generation());
    }

    /** An indexed version must be in the store with the same hash and size. */
    private void checkIndexed(ArtifactRecord record) {
      ArtifactInfo indexed = record.info();
      visited(indexed);
      Optional<ArtifactInfo> stored;
      try {
        stored = store.stat(indexed.path(), indexed.generation());
      } catch (IntegrityException e) {
        drift(UNREADABLE, indexed, e.getMessage());
        return;
      }
      if (stored.isEmpty()) {
        drift(
            MISSING, indexed, "indexed " + indexed.hash() + " but absent from the artifact store");
      } else if (!sameBytes(stored.get(), indexed) && !hasCandidate(indexed)) {
        mismatched.add(indexed.path() + "@" + indexed.generation());
        drift(
            MISMATCH,
            indexed,
            "indexed "
                + indexed.hash()
                + " ("
                + indexed.size()
                + " bytes) but the store holds "
                + stored.get().hash()
                + " ("
                + stored.get().size()
                + " bytes)");
      } else if (deep) {
        rehash(indexed);
      } else {
        checkPresenceAndSize(indexed);
      }
    }

    private static boolean sameBytes(ArtifactInfo a, ArtifactInfo b) {
      return a.hash().equals(b.hash()) && a.size() == b.size();
    }

    /** A store holding several candidates of one generation (S3 after a race) may hold ours too. */
    private boolean hasCandidate(ArtifactInfo indexed) {
      ReadRequest read =
          ReadRequest.of(indexed.path(), indexed.generation()).withHash(indexed.hash());
      if (indexed.size() > 0) {
        read = read.withRange(ByteRange.of(0, 0)).asProbe();
      }
      try (ArtifactContent content = store.open(read)) {
        return content.info().hash().equals(indexed.hash());
      } catch (NotFoundException | IntegrityException e) {
        // an IntegrityException here (the filesystem store refuses to open a version whose
        // content size differs from its metadata) aborted the whole fsck with exit 4 and no
        // findings; it is this version's mismatch, reported by the caller (reliability suite)
        return false;
      }
    }

    /**
     * The fast check: the bytes are there and as long as indexed. Reads only the last byte, which
     * every store serves only after finding the bytes, and which exists only if they are not
     * shorter (the filesystem and database stores also refuse a range of bytes whose length
     * disagrees with their record). No hashing: rotted bytes of the right length are the deep
     * check's job.
     */
    private void checkPresenceAndSize(ArtifactInfo indexed) {
      ReadRequest read =
          ReadRequest.of(indexed.path(), indexed.generation()).withHash(indexed.hash());
      if (indexed.size() > 0) {
        read = read.withRange(ByteRange.of(indexed.size() - 1, indexed.size() - 1)).asProbe();
      }
      try (ArtifactContent content = store.open(read);
          InputStream in = content.stream()) {
        int got = in.readNBytes(2).length;
        if (got != Math.min(1, indexed.size())) {
          drift(
              MISMATCH,
              indexed,
              "the stored bytes are shorter than the " + indexed.size() + " bytes indexed");
        }
      } catch (NotFoundException e) {
        drift(
            MISSING,
            indexed,
            "indexed " + indexed.hash() + " but its bytes are absent: " + e.getMessage());
      } catch (RangeNotSatisfiableException e) {
        drift(
            MISMATCH,
            indexed,
            "the stored bytes are shorter than the " + indexed.size() + " bytes indexed");
      } catch (IntegrityException e) {
        drift(MISMATCH, indexed, e.getMessage());
      } catch (IOException e) {
        throw new BackendUnavailableException(
            "artifacts", "reading " + indexed.path() + " failed", e);
      }
    }

    private void rehash(ArtifactInfo indexed) {
      ReadRequest read =
          ReadRequest.of(indexed.path(), indexed.generation()).withHash(indexed.hash());
      try (ArtifactContent content = store.open(read);
          DigestingInputStream in = new DigestingInputStream(content.stream())) {
        byte[] buffer = new byte[64 * 1024];
        while (in.read(buffer) >= 0) {
          // hashing
        }
        if (!in.hash().equals(indexed.hash()) || in.count() != indexed.size()) {
          drift(CORRUPT, indexed, "the stored bytes hash to " + in.hash());
        }
      } catch (NotFoundException e) {
        drift(
            MISSING,
            indexed,
            "indexed " + indexed.hash() + " but its bytes are absent: " + e.getMessage());
      } catch (IntegrityException e) {
        drift(CORRUPT, indexed, e.getMessage());
      } catch (IOException e) {
        throw new BackendUnavailableException(
            "artifacts", "reading " + indexed.path() + " failed", e);
      }
    }

    /** A stored version must be indexed, with the same hash; one that is not is an orphan. */
    private void checkStored(ArtifactInfo stored) {
      Optional<ArtifactRecord> indexed = manifest.findArtifact(stored.path(), stored.generation());
      if (indexed.isPresent()) {
        ArtifactInfo kept = indexed.get().info();
        if (!sameBytes(kept, stored)
            && !mismatched.contains(stored.path() + "@" + stored.generation())
            && hasCandidate(kept)) {
          // a store holding several candidates of one generation (S3 whose conditional puts are
          // not atomic) kept the claim of a writer that lost the race in the manifest; the indexed
          // candidate is intact (checkIndexed read it), so nothing is lost: the loser's bytes were
          // never acknowledged. Never removed: removing the claim would hide the generation.
          orphan(
              stored,
              false,
              "a candidate of generation "
                  + stored.generation()
                  + " ("
                  + stored.hash()
                  + ") that lost the race for it; the index holds "
                  + kept.hash()
                  + ", whose bytes are intact; never acknowledged; kept (--repair leaves it)");
        } else if (!sameBytes(kept, stored)
            && !mismatched.contains(stored.path() + "@" + stored.generation())) {
          drift(
              CONFLICT,
              stored,
              "the store holds "
                  + stored.hash()
                  + " where the index holds "
                  + indexed.get().info().hash());
        }
        return;
      }
      visited(stored);
      if (!repair) {
        orphan(
            stored,
            false,
            orphanDescription(stored) + "; --repair removes it once older than " + graceText());
        return;
      }
      if (!pendingOrphans.isEmpty() && !pendingOrphans.get(0).path().equals(stored.path())) {
        removePendingOrphans();
      }
      pendingOrphans.add(stored);
    }

    /** Removes one path's orphans newest first, so each is the latest when its turn comes. */
    private void removePendingOrphans() {
      for (int i = pendingOrphans.size() - 1; i >= 0; i--) {
        removeOrphan(pendingOrphans.get(i));
      }
      pendingOrphans.clear();
    }

    private void removeOrphan(ArtifactInfo orphan) {
      if (manifest.findArtifact(orphan.path(), orphan.generation()).isPresent()) {
        // indexed since the listing (a retry of the same write heals the index): not an orphan
        return;
      }
      OrphanRemoval outcome = store.deleteOrphan(orphan, orphanCutoff);
      String what = orphanDescription(orphan);
      switch (outcome) {
        case REMOVED -> orphan(orphan, true, what + "; removed from the store");
        case ABSENT -> orphan(orphan, true, what + "; already gone from the store");
        case TOO_YOUNG ->
            orphan(orphan, false, what + "; kept: younger than the grace window of " + graceText());
        case NOT_LATEST ->
            orphan(
                orphan,
                false,
                what
                    + "; kept: a later generation of the path is in the store, and generations"
                    + " are removed only from the top");
        case OTHER_BYTES ->
            orphan(orphan, false, what + "; kept: the store now holds other bytes there");
      }
    }

    private String orphanDescription(ArtifactInfo stored) {
      return "stored "
          + stored.hash()
          + " ("
          + stored.size()
          + " bytes, created "
          + stored.createdAt()
          + ") but no index entry names it: never acknowledged";
    }

    private String graceText() {
      return orphanGrace.toSeconds() + " s";
    }

    private void orphan(ArtifactInfo info, boolean removed, String detail) {
      findings.add(
          new Finding(
              Finding.ORPHAN, info.path().toString(), info.generation(), detail, false, removed));
    }

    private void drift(String kind, ArtifactInfo info, String detail) {
      findings.add(
          new Finding(kind, info.path().toString(), info.generation(), detail, true, false));
    }
  }
}
