package org.docsgen.store.adapters.fs;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.inject.AbstractModule;
import com.google.inject.Guice;
import com.google.inject.Injector;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import org.docsgen.store.domain.artifact.ArtifactType;
import org.docsgen.store.domain.artifact.LogicalPath;
import org.docsgen.store.domain.bundle.BundleRecord;
import org.docsgen.store.domain.execution.ExecutionStatus;
import org.docsgen.store.domain.execution.PhaseExecution;
import org.docsgen.store.domain.run.Run;
import org.docsgen.store.domain.run.RunId;
import org.docsgen.store.domain.run.Stage;
import org.docsgen.store.ports.bundle.BundleSigner;
import org.docsgen.store.ports.guard.OverwriteTokens;
import org.docsgen.store.ports.in.ArtifactUseCases.WriteCommand;
import org.docsgen.store.ports.in.BundleUseCases.BundleVerification;
import org.docsgen.store.ports.in.FsckUseCases;
import org.docsgen.store.ports.out.ArtifactStore;
import org.docsgen.store.ports.service.DocsGenServices;
import org.docsgen.store.ports.testing.InMemoryManifestStore;
import org.docsgen.store.ports.testing.TestJsonParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The public surface: {@link FsArtifactModule} on {@link FsSettings}, used by the services. */
class FsArtifactModuleTest {
  @TempDir Path temp;

  private static Injector injector(Path root) {
    return Guice.createInjector(
        new FsArtifactModule(new FsSettings(root)),
        new AbstractModule() {
          @Override
          protected void configure() {
            bind(OverwriteTokens.class).toInstance(TestContent.tokens());
            bind(Clock.class).toInstance(TestContent.clock());
          }
        });
  }

  @Test
  void bindsOneArtifactStoreOnTheConfiguredRootUsingTheAppsTokensAndClock() throws Exception {
    Path root = temp.resolve("data").resolve("artifacts");
    Injector injector = injector(root);

    ArtifactStore store = injector.getInstance(ArtifactStore.class);
    LogicalPath p = LogicalPath.parse(RunId.of(LocalDate.of(2026, 11, 28), 1) + "/phase1/a.md");
    store.writeText(p, ArtifactType.DOCUMENTATION, "hi", "tester");

    assertThat(injector.getInstance(ArtifactStore.class)).isSameAs(store);
    assertThat(store.health().up()).isTrue();
    assertThat(store.stat(p).orElseThrow().createdAt()).isEqualTo(TestContent.NOW);
    assertThat(RawLayout.packedContent(root, p, 1))
        .as("a small artifact is packed")
        .isEqualTo("hi");
  }

  @Test
  void aWholeRunEndsInAVerifiedBundleAndDeepFsckSeesTamperingOnDisk() throws Exception {
    Path root = temp.resolve("artifacts");
    Injector injector = injector(root);
    DocsGenServices services =
        new DocsGenServices(
            injector.getInstance(ArtifactStore.class),
            new InMemoryManifestStore(),
            injector.getInstance(OverwriteTokens.class),
            new BundleSigner(BundleSigner.generate()),
            TestJsonParser.INSTANCE,
            TestContent.clock());
    Run run = services.createRun("alice", List.of("docsgen.md", "api.md"), true);
    PhaseExecution fin = services.start(run.runId(), Stage.FINAL, "orchestrator");
    for (String name : List.of("docsgen.md", "guides/api.md")) {
      services.write(
          new WriteCommand(
              LogicalPath.of(run.runId(), Stage.FINAL, name),
              ArtifactType.DOCUMENTATION,
              "text/markdown",
              "orchestrator",
              false,
              null,
              1 << 20),
          new ByteArrayInputStream(("# " + name + "\n").getBytes(UTF_8)));
    }
    services.finish(fin.ref(), ExecutionStatus.SUCCEEDED, null, "orchestrator");

    BundleRecord bundle = services.createBundle(run.runId(), "orchestrator");
    BundleVerification verification = services.verify(run.runId());

    assertThat(bundle.entries()).extracting(e -> e.name()).contains("docsgen.md", "api.md");
    assertThat(verification.valid()).as(String.join("; ", verification.problems())).isTrue();
    assertThat(
            services
                .fsck(Optional.of(run.runId()), true, false, FsckUseCases.Progress.none())
                .clean())
        .isTrue();

    LogicalPath doc = LogicalPath.of(run.runId(), Stage.FINAL, "docsgen.md");
    RawLayout.flipPacked(root, doc, 1);
    FsckUseCases.FsckReport report =
        services.fsck(Optional.of(run.runId()), true, false, FsckUseCases.Progress.none());

    assertThat(report.clean()).isFalse();
    assertThat(report.findings()).extracting(f -> f.path()).contains(doc.toString());
  }
}
