package org.docsgen.store.adapters.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.inject.AbstractModule;
import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Key;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.docsgen.store.adapters.jdbc.testing.PostgresFixture;
import org.docsgen.store.adapters.jdbc.testing.SqliteFixture;
import org.docsgen.store.domain.artifact.ArtifactType;
import org.docsgen.store.domain.artifact.LogicalPath;
import org.docsgen.store.domain.bundle.BundleRecord;
import org.docsgen.store.domain.execution.ExecutionStatus;
import org.docsgen.store.domain.execution.PhaseExecution;
import org.docsgen.store.domain.run.Run;
import org.docsgen.store.domain.run.RunStatus;
import org.docsgen.store.domain.run.Stage;
import org.docsgen.store.ports.bundle.BundleSigner;
import org.docsgen.store.ports.guard.OverwriteTokens;
import org.docsgen.store.ports.in.ArtifactUseCases.WriteCommand;
import org.docsgen.store.ports.in.BundleUseCases.BundleVerification;
import org.docsgen.store.ports.out.ArtifactStore;
import org.docsgen.store.ports.out.ManifestStore;
import org.docsgen.store.ports.service.DocsGenServices;
import org.docsgen.store.ports.testing.TestJsonParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The public surface: {@link JdbcModule} wires both stores on one database, and the application
 * services run a whole documentation run (write, gate, bundle, verify) on them.
 */
class JdbcModuleTest {
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-11-28T10:00:00Z"), ZoneOffset.UTC);

  @TempDir Path dir;

  private static Injector injector(JdbcSettings settings) {
    return Guice.createInjector(
        new JdbcModule(settings),
        new AbstractModule() {
          @Override
          protected void configure() {
            bind(OverwriteTokens.class)
                .toInstance(
                    new OverwriteTokens(
                        "module-test-overwrite-token-key-0123456789"
                            .getBytes(StandardCharsets.UTF_8),
                        CLOCK));
            bind(Clock.class).toInstance(CLOCK);
          }
        });
  }

  @Test
  void manifestOnlyBindsNoArtifactStore() throws Exception {
    Injector injector = injector(SqliteFixture.settings(SqliteFixture.newDatabase(dir)));
    ManifestStore manifest = injector.getInstance(ManifestStore.class);
    try {
      assertThat(manifest.health().up()).isTrue();
      assertThat(manifest.health().backend()).isEqualTo("sqlite");
      assertThat(injector.getExistingBinding(Key.get(ArtifactStore.class))).isNull();
      assertThat(injector.getInstance(ManifestStore.class)).isSameAs(manifest);
    } finally {
      ((AutoCloseable) manifest).close();
    }
  }

  @Test
  void aWholeRunEndsInAVerifiedBundleOnSqlite() throws Exception {
    runToBundle(SqliteFixture.settings(SqliteFixture.newDatabase(dir)));
  }

  @Test
  void aWholeRunEndsInAVerifiedBundleOnPostgres() throws Exception {
    runToBundle(PostgresFixture.settings(PostgresFixture.newDatabase()));
  }

  private static void runToBundle(JdbcSettings settings) throws Exception {
    Injector injector = injector(settings.withArtifactsInDatabase(true));
    ManifestStore manifest = injector.getInstance(ManifestStore.class);
    ArtifactStore artifacts = injector.getInstance(ArtifactStore.class);
    try {
      DocsGenServices services =
          new DocsGenServices(
              artifacts,
              manifest,
              injector.getInstance(OverwriteTokens.class),
              new BundleSigner(BundleSigner.generate()),
              TestJsonParser.INSTANCE,
              CLOCK);
      Run run = services.createRun("alice", List.of("docsgen.md", "api.md"), true);
      PhaseExecution fin = services.start(run.runId(), Stage.FINAL, "orchestrator");
      for (String name : List.of("docsgen.md", "api.md")) {
        LogicalPath path = LogicalPath.of(run.runId(), Stage.FINAL, name);
        services.write(
            new WriteCommand(
                path,
                ArtifactType.DOCUMENTATION,
                "text/markdown",
                "orchestrator",
                false,
                null,
                1 << 20),
            new ByteArrayInputStream(("# " + name + "\n").getBytes(StandardCharsets.UTF_8)));
      }
      services.finish(fin.ref(), ExecutionStatus.SUCCEEDED, null, "orchestrator");

      BundleRecord bundle = services.createBundle(run.runId(), "orchestrator");
      BundleVerification verification = services.verify(run.runId());

      assertThat(bundle.entries()).extracting(e -> e.name()).contains("docsgen.md", "api.md");
      assertThat(verification.valid()).as(String.join("; ", verification.problems())).isTrue();
      assertThat(manifest.findRun(run.runId()).orElseThrow().status()).isEqualTo(RunStatus.BUNDLED);
    } finally {
      ((AutoCloseable) manifest).close();
    }
  }
}
