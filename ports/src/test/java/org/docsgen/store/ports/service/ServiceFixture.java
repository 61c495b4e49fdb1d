package org.docsgen.store.ports.service;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.ByteArrayInputStream;
import java.util.List;
import org.docsgen.store.domain.artifact.ArtifactType;
import org.docsgen.store.domain.artifact.LogicalPath;
import org.docsgen.store.domain.execution.ExecutionRef;
import org.docsgen.store.domain.execution.ExecutionStatus;
import org.docsgen.store.domain.execution.PhaseExecution;
import org.docsgen.store.domain.run.Run;
import org.docsgen.store.domain.run.RunId;
import org.docsgen.store.domain.run.Stage;
import org.docsgen.store.ports.bundle.BundleSigner;
import org.docsgen.store.ports.bundle.JsonParser;
import org.docsgen.store.ports.guard.OverwriteTokens;
import org.docsgen.store.ports.in.ArtifactUseCases.WriteCommand;
import org.docsgen.store.ports.out.WriteResult;
import org.docsgen.store.ports.testing.InMemoryArtifactStore;
import org.docsgen.store.ports.testing.InMemoryManifestStore;
import org.docsgen.store.ports.testing.MutableClock;
import org.docsgen.store.ports.testing.TestJsonParser;

/** The services over in-memory doubles, and shortcuts the service tests share. */
abstract class ServiceFixture {
  static final byte[] TOKEN_KEY = "service-test-overwrite-token-key-0123456789".getBytes(UTF_8);

  final MutableClock clock = MutableClock.startingAt("2026-11-28T10:00:00Z");
  final OverwriteTokens tokens = new OverwriteTokens(TOKEN_KEY, clock);
  final InMemoryArtifactStore store = new InMemoryArtifactStore(tokens, clock);
  final InMemoryManifestStore manifest = new InMemoryManifestStore();
  final BundleSigner signer = new BundleSigner(BundleSigner.generate());
  final JsonParser json = TestJsonParser.INSTANCE;
  final DocsGenServices services =
      new DocsGenServices(store, manifest, tokens, signer, json, clock);

  Run newRun(String... coreFiles) {
    return services.createRun("alice", coreFiles.length == 0 ? null : List.of(coreFiles), false);
  }

  PhaseExecution start(RunId run, Stage stage) {
    return services.start(run, stage, "orchestrator");
  }

  PhaseExecution finish(PhaseExecution e, ExecutionStatus status) {
    clock.advance(java.time.Duration.ofSeconds(1));
    return services.finish(e.ref(), status, null, "orchestrator");
  }

  static WriteCommand doc(LogicalPath path) {
    return new WriteCommand(
        path, ArtifactType.DOCUMENTATION, "text/markdown; charset=utf-8", "writer", false, null, 0);
  }

  WriteResult write(WriteCommand command, String text) {
    clock.advance(java.time.Duration.ofSeconds(1));
    return services.write(command, new ByteArrayInputStream(text.getBytes(UTF_8)));
  }

  WriteResult write(LogicalPath path, String text) {
    return write(doc(path), text);
  }

  static WriteCommand withToken(WriteCommand c, String token) {
    return new WriteCommand(
        c.path(), c.type(), c.mediaType(), c.actor(), c.createOnly(), token, c.maxBytes());
  }

  static WriteCommand createOnly(WriteCommand c) {
    return new WriteCommand(
        c.path(), c.type(), c.mediaType(), c.actor(), true, c.overwriteToken(), c.maxBytes());
  }

  static LogicalPath path(RunId run, Stage stage, String name) {
    return LogicalPath.of(run, stage, name);
  }

  static ExecutionRef ref(RunId run, String text) {
    return ExecutionRef.parse(run, text);
  }
}
