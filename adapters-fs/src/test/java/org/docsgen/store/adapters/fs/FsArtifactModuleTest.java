package org.docsgen.store.adapters.fs;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.inject.AbstractModule;
import com.google.inject.Guice;
import com.google.inject.Injector;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import org.docsgen.store.domain.artifact.ArtifactType;
import org.docsgen.store.domain.artifact.LogicalPath;
import org.docsgen.store.domain.run.RunId;
import org.docsgen.store.ports.guard.OverwriteTokens;
import org.docsgen.store.ports.out.ArtifactStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FsArtifactModuleTest {
  @TempDir Path temp;

  @Test
  void bindsOneArtifactStoreOnTheConfiguredRootUsingTheAppsTokensAndClock() {
    Path root = temp.resolve("data").resolve("artifacts");
    Injector injector =
        Guice.createInjector(
            new FsArtifactModule(new FsSettings(root)),
            new AbstractModule() {
              @Override
              protected void configure() {
                bind(OverwriteTokens.class).toInstance(TestContent.tokens());
                bind(Clock.class).toInstance(TestContent.clock());
              }
            });

    ArtifactStore store = injector.getInstance(ArtifactStore.class);
    LogicalPath p = LogicalPath.parse(RunId.of(LocalDate.of(2026, 11, 28), 1) + "/phase1/a.md");
    store.writeText(p, ArtifactType.DOCUMENTATION, "hi", "tester");

    assertThat(injector.getInstance(ArtifactStore.class)).isSameAs(store);
    assertThat(store.health().up()).isTrue();
    assertThat(store.stat(p).orElseThrow().createdAt()).isEqualTo(TestContent.NOW);
    assertThat(RawLayout.content(root, p, 1)).hasContent("hi");
  }
}
