package org.docsgen.store.ports.service;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.docsgen.store.domain.artifact.ArtifactInfo;
import org.docsgen.store.domain.execution.ExecutionRef;
import org.docsgen.store.domain.execution.PhaseExecution;
import org.docsgen.store.domain.run.Run;
import org.docsgen.store.domain.run.RunId;
import org.docsgen.store.ports.error.BackendUnavailableException;
import org.docsgen.store.ports.error.IntegrityException;
import org.docsgen.store.ports.error.NotFoundException;
import org.docsgen.store.ports.in.FsckUseCases;
import org.docsgen.store.ports.out.ArtifactContent;
import org.docsgen.store.ports.out.ArtifactQuery;
import org.docsgen.store.ports.out.ArtifactRecord;
import org.docsgen.store.ports.out.ArtifactStore;
import org.docsgen.store.ports.out.ByteRange;
import org.docsgen.store.ports.out.ManifestStore;
import org.docsgen.store.ports.out.ReadRequest;
import org.docsgen.store.ports.stream.DigestingInputStream;

/**
 * Finds drift between the manifest's index and the artifact store, run by run, page by page.
 *
 * <p>Finding kinds: {@value #MISSING} (indexed, not in the store), {@value #MISMATCH} (the store
 * holds that generation with another hash or size), {@value #CORRUPT} (deep only: the bytes do not
 * hash to the indexed hash), {@value #UNINDEXED} (in the store, not in the index — what a failure
 * between the store write and the index write leaves), {@value #CONFLICT} (the store's version of
 * an indexed generation has other bytes than the index: a lost cross-server race).
 *
 * <p>Repair only ever adds index rows: an unindexed version is indexed as an output of the latest
 * execution of its stage (none: left unrepaired). Nothing is ever deleted or rewritten; missing,
 * mismatched, corrupt and conflicting versions need an operator.
 */
final class FsckService implements FsckUseCases {
  static final String MISSING = "missing";
  static final String MISMATCH = "mismatch";
  static final String CORRUPT = "corrupt";
  static final String UNINDEXED = "unindexed";
  static final String CONFLICT = "conflict";
  static final String UNREADABLE = "unreadable";

  private final ArtifactStore store;
  private final ManifestStore manifest;

  FsckService(ArtifactStore store, ManifestStore manifest) {
    this.store = store;
    this.manifest = manifest;
  }

  @Override
  public FsckReport fsck(Optional<RunId> run, boolean deep, boolean repair, Progress progress) {
    requireNonNull(run, "run is null");
    Progress reporter = progress == null ? Progress.none() : progress;
    Scan scan = new Scan(deep, repair, reporter);
    if (run.isPresent()) {
      manifest
          .findRun(run.get())
          .orElseThrow(() -> new NotFoundException("run " + run.get() + " does not exist"));
      scan.run(run.get());
    } else {
      Lookups.forEach(manifest::listRuns, (Run r) -> scan.run(r.runId()));
    }
    return new FsckReport(scan.checked, List.copyOf(scan.findings));
  }

  /** One fsck pass. */
  private final class Scan {
    private final boolean deep;
    private final boolean repair;
    private final Progress progress;
    private final List<Finding> findings = new ArrayList<>();
    private final java.util.Set<String> mismatched = new java.util.HashSet<>();
    private long checked;

    Scan(boolean deep, boolean repair, Progress progress) {
      this.deep = deep;
      this.repair = repair;
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
                false));
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
        add(UNREADABLE, indexed, e.getMessage(), false);
        return;
      }
      if (stored.isEmpty()) {
        add(
            MISSING,
            indexed,
            "indexed " + indexed.hash() + " but absent from the artifact store",
            false);
      } else if (!sameBytes(stored.get(), indexed) && !hasCandidate(indexed)) {
        mismatched.add(indexed.path() + "@" + indexed.generation());
        add(
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
                + " bytes)",
            false);
      } else if (deep) {
        rehash(indexed);
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
        read = read.withRange(ByteRange.of(0, 0));
      }
      try (ArtifactContent content = store.open(read)) {
        return content.info().hash().equals(indexed.hash());
      } catch (NotFoundException e) {
        return false;
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
          add(CORRUPT, indexed, "the stored bytes hash to " + in.hash(), false);
        }
      } catch (IntegrityException e) {
        add(CORRUPT, indexed, e.getMessage(), false);
      } catch (IOException e) {
        throw new BackendUnavailableException(
            "artifacts", "reading " + indexed.path() + " failed", e);
      }
    }

    /** A stored version must be indexed, with the same hash. */
    private void checkStored(ArtifactInfo stored) {
      Optional<ArtifactRecord> indexed = manifest.findArtifact(stored.path(), stored.generation());
      if (indexed.isPresent()) {
        if (!sameBytes(indexed.get().info(), stored)
            && !mismatched.contains(stored.path() + "@" + stored.generation())) {
          add(
              CONFLICT,
              stored,
              "the store holds "
                  + stored.hash()
                  + " where the index holds "
                  + indexed.get().info().hash(),
              false);
        }
        return;
      }
      visited(stored);
      if (!repair) {
        add(UNINDEXED, stored, "stored " + stored.hash() + " but not in the manifest index", false);
        return;
      }
      Optional<ExecutionRef> producer =
          manifest.findLatestExecution(stored.runId(), stored.stage()).map(PhaseExecution::ref);
      if (producer.isEmpty()) {
        add(
            UNINDEXED,
            stored,
            "not in the index, and stage "
                + stored.stage()
                + " has no execution to attribute it to",
            false);
        return;
      }
      manifest.recordArtifact(stored, producer.get());
      add(UNINDEXED, stored, "indexed as an output of " + producer.get(), true);
    }

    private void add(String kind, ArtifactInfo info, String detail, boolean repaired) {
      findings.add(new Finding(kind, info.path().toString(), info.generation(), detail, repaired));
    }
  }
}
