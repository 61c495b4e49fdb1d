package org.docsgen.store.app.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.docsgen.store.app.cli.ServerProcess.READER;
import static org.docsgen.store.app.cli.ServerProcess.expect;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.docsgen.store.app.cli.reliability.support.Http;
import org.docsgen.store.app.cli.reliability.support.LazyFs;
import org.docsgen.store.app.http.json.Json;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Acknowledged means durable: the server runs as its own process with every byte of its data (the
 * artifact root, the SQLite manifest, the signing key) on LazyFS; a power cut a few seconds after
 * its first start drops whatever was not fsynced. The server must start again with the same key,
 * and every write it answered 201 must read back with its hash.
 */
@Tag("powercut")
class PowerCutTest {
  @TempDir Path dir;

  /** One acknowledged write: what the client knows the server promised to keep. */
  private record Acknowledged(String path, int generation, String hash) {}

  @Test
  void everythingAcknowledgedAndTheSigningKeySurviveAPowerCutInTheFirstSeconds() throws Exception {
    Path mnt = dir.resolve("mnt");
    try (LazyFs lazyFs = LazyFs.mount(mnt)) {
      Path data = mnt.resolve("docsgen-data");
      Path keyFile = data.resolve("bundle-signing.key");
      Path config =
          Files.writeString(
              dir.resolve("docsgen.yaml"),
              ServerProcess.config(
                  data.resolve("artifacts"), data.resolve("manifest.db"), keyFile));

      List<Acknowledged> ledger = new ArrayList<>();
      String runId;
      String pendingPath;
      String token;
      byte[] keyBefore;
      try (ServerProcess first = ServerProcess.launch(config, dir, "first").awaitStarted()) {
        runId = first.createRun();
        first.startExecution(runId, "phase1");
        Random random = new Random(42);
        for (int i = 0; i < 12; i++) {
          String path = runId + "/phase1/" + (i % 3 == 0 ? "docs/part" + i + "/" : "") + i + ".md";
          byte[] body = randomText(random, 1 + random.nextInt(200_000));
          ledger.add(acknowledged(first.put(path, body), body));
        }
        String overwritten = ledger.get(1).path();
        String tokenForIt = first.overwriteToken(runId, overwritten);
        byte[] generation2 = "second generation\n".getBytes(UTF_8);
        ledger.add(
            acknowledged(
                first.put(overwritten, generation2, "X-Overwrite-Token", tokenForIt), generation2));
        // a token minted before the cut and used after it proves the token key (derived from the
        // signing key) is the same
        pendingPath = ledger.get(2).path();
        token = first.overwriteToken(runId, pendingPath);
        keyBefore = Files.readAllBytes(keyFile);
        first.kill();
      }
      assertThat(new String(keyBefore, UTF_8)).contains("-----BEGIN PRIVATE KEY-----");

      // the suite checks itself: a file written without fsync must not survive the cut
      Path probe = Files.writeString(mnt.resolve("unsynced-probe"), "never fsynced\n");
      lazyFs.crash();
      lazyFs.remount();
      assertThat(Files.exists(probe) ? Files.size(probe) : 0L)
          .as("LazyFS dropped the unsynced probe (else this test proves nothing)")
          .isZero();

      try (ServerProcess second = ServerProcess.launch(config, dir, "second").awaitStarted()) {
        assertThat(Files.readAllBytes(keyFile))
            .as("the signing key after the power cut")
            .isEqualTo(keyBefore);
        for (Acknowledged ack : ledger) {
          Http.Response read =
              second.send(
                  "GET",
                  "/api/artifacts/" + ack.path() + "?generation=" + ack.generation(),
                  READER,
                  null);
          assertThat(read.status()).as(ack + " after the power cut: " + read).isEqualTo(200);
          assertThat(sha256(read.body())).as(ack.toString()).isEqualTo(ack.hash());
        }
        Http.Response afterCut =
            second.put(
                pendingPath, "written after the cut\n".getBytes(UTF_8), "X-Overwrite-Token", token);
        assertThat(afterCut.status())
            .as("a token minted before the cut, used after it: " + afterCut)
            .isEqualTo(201);
      }

      CliRunner.Result fsck =
          new CliRunner(dir).run("--config", config.toString(), "fsck", "--deep", "--json");
      assertThat(fsck.code()).as(fsck.toString()).isZero();
      JsonNode report = Json.mapper().readTree(fsck.out());
      for (JsonNode finding : report.path("findings")) {
        assertThat(finding.path("kind").asText()).as(finding.toString()).isEqualTo("orphan");
      }
      assertThat(report.path("checked").asLong()).isGreaterThanOrEqualTo(ledger.size());
    }
  }

  /** The 201's version, checked to be the hash of the bytes sent. */
  private static Acknowledged acknowledged(Http.Response response, byte[] sent) throws Exception {
    expect(response, 201);
    JsonNode info = response.json();
    assertThat(info.path("hash").asText()).isEqualTo(sha256(sent));
    return new Acknowledged(
        info.path("path").asText(), info.path("generation").asInt(), sha256(sent));
  }

  private static byte[] randomText(Random random, int size) {
    byte[] text = new byte[size];
    for (int i = 0; i < size; i++) {
      text[i] = (byte) (i % 80 == 79 ? '\n' : 'a' + random.nextInt(26));
    }
    return text;
  }

  private static String sha256(byte[] bytes) throws Exception {
    return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }
}
