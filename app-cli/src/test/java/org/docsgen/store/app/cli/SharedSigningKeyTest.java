package org.docsgen.store.app.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.docsgen.store.app.cli.ServerProcess.expect;

import java.nio.file.Files;
import java.nio.file.Path;
import org.docsgen.store.app.cli.reliability.support.Http;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two server processes started at once on one empty {@code signing.keyFile} (each with its own
 * stores) both start and end with one key: the file holds a key pair, and an overwrite token one
 * minted — its HMAC key is derived from the signing key — is accepted by the other.
 */
class SharedSigningKeyTest {
  @TempDir Path dir;

  @Test
  void twoInstancesStartingAtOnceOnAnEmptyKeyFileShareTheKeyOneOfThemGenerated() throws Exception {
    Path keyFile =
        Files.createFile(Files.createDirectories(dir.resolve("shared")).resolve("k.pem"));
    Path configA = config("a", keyFile);
    Path configB = config("b", keyFile);
    try (ServerProcess a = ServerProcess.launch(configA, dir, "a");
        ServerProcess b = ServerProcess.launch(configB, dir, "b")) {
      a.awaitStarted();
      b.awaitStarted();
      assertThat(Files.readString(keyFile))
          .contains("-----BEGIN PRIVATE KEY-----")
          .contains("-----BEGIN PUBLIC KEY-----");

      // each has a fresh manifest, so each allocates the same first run id and path; the same
      // bytes give the same hash, so a token bound to (path, hash) by one fits the other
      String run = a.createRun();
      assertThat(b.createRun()).isEqualTo(run);
      String path = run + "/phase1/docsgen.md";
      for (ServerProcess server : new ServerProcess[] {a, b}) {
        server.startExecution(run, "phase1");
        expect(server.put(path, "first\n".getBytes(UTF_8)), 201);
      }
      String fromA = a.overwriteToken(run, path);
      String fromB = b.overwriteToken(run, path);
      Http.Response onB = b.put(path, "second\n".getBytes(UTF_8), "X-Overwrite-Token", fromA);
      assertThat(onB.status()).as("a's token on b: " + onB).isEqualTo(201);
      Http.Response onA = a.put(path, "second\n".getBytes(UTF_8), "X-Overwrite-Token", fromB);
      assertThat(onA.status()).as("b's token on a: " + onA).isEqualTo(201);
    }
  }

  private Path config(String name, Path keyFile) throws Exception {
    Path data = dir.resolve(name);
    return Files.writeString(
        dir.resolve(name + ".yaml"),
        ServerProcess.config(data.resolve("artifacts"), data.resolve("manifest.db"), keyFile));
  }
}
