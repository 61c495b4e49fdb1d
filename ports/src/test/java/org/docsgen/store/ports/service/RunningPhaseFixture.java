package org.docsgen.store.ports.service;

import static java.nio.charset.StandardCharsets.UTF_8;

import org.docsgen.store.domain.artifact.ArtifactInfo;
import org.docsgen.store.domain.artifact.ArtifactType;
import org.docsgen.store.domain.artifact.ContentHash;
import org.docsgen.store.domain.artifact.LogicalPath;
import org.docsgen.store.domain.execution.PhaseExecution;
import org.docsgen.store.domain.run.RunId;
import org.docsgen.store.domain.run.Stage;
import org.junit.jupiter.api.BeforeEach;

/**
 * The service fixture with, before each test, a new run whose phase1 is RUNNING ({@code exec},
 * attempt 1) and {@code a}, a path of that stage not yet written.
 */
abstract class RunningPhaseFixture extends ServiceFixture {
  private final String name;
  RunId run;
  PhaseExecution exec;
  LogicalPath a;

  /**
   * @param name the name of {@code a} within phase1
   */
  RunningPhaseFixture(String name) {
    this.name = name;
  }

  @BeforeEach
  void startPhase1() {
    run = newRun().runId();
    exec = start(run, Stage.phase(1));
    a = path(run, Stage.phase(1), name);
  }

  /** Indexes {@code phase1/ghost.md} for {@code exec}: a version the store never received. */
  ArtifactInfo indexGhost() {
    ArtifactInfo ghost =
        new ArtifactInfo(
            path(run, Stage.phase(1), "ghost.md"),
            ArtifactType.DOCUMENTATION,
            ContentHash.sha256("ghost".getBytes(UTF_8)),
            5,
            "text/markdown",
            "w",
            clock.instant(),
            1);
    manifest.recordArtifact(ghost, exec.ref());
    return ghost;
  }
}
