package org.docsgen.store.app.http;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.docsgen.store.app.http.testing.TestServer.READER;
import static org.docsgen.store.app.http.testing.TestServer.WRITER;

import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.docsgen.store.adapters.jdbc.testing.PostgresFixture;
import org.docsgen.store.adapters.s3.testing.S3ServerExtension;
import org.docsgen.store.app.http.testing.Api;
import org.docsgen.store.app.http.testing.Api.Response;
import org.docsgen.store.app.http.testing.Backends;
import org.docsgen.store.app.http.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.sync.RequestBody;

/** The core flow on the scaled-out backends: PostgreSQL manifest, S3 artifacts. */
class PostgresS3CoreFlowTest extends CoreFlowContract {
  @RegisterExtension static final S3ServerExtension S3 = new S3ServerExtension();
  private String bucket;

  @Override
  protected TestServer startServer(Path dir) {
    bucket = S3.server().newBucket();
    return Backends.start(
        Backends.postgresAndS3(dir, S3.server(), bucket, PostgresFixture.newSchema()), dir);
  }

  /**
   * The direct artifact GET serves the scaled-out backends too, from pool threads (a read there
   * waits on the network, so it must not hold a selector), with the same bytes and headers.
   */
  @Test
  void aPlainReadIsAnsweredDirectlyOverTheNetworkStores() {
    String runId = api.createRun(WRITER, List.of("docsgen.md"), false);
    api.start(WRITER, runId, "phase1");
    String path = runId + "/phase1/direct.md";
    Api.expect(api.putText(WRITER, path, "DOCUMENTATION", "# read directly\n"), 201);
    long before = server.server().directReads();

    Response read = api.get("/api/artifacts/" + path, READER);

    Api.expect(read, 200);
    assertThat(read.text()).isEqualTo("# read directly\n");
    assertThat(read.header("X-Artifact-Type")).isEqualTo("DOCUMENTATION");
    assertThat(server.server().directReads()).isEqualTo(before + 1);
  }

  /**
   * ARCHITECTURE.md § Integrity on read: the manifest's hash decides, never a hash the backend
   * keeps beside the bytes. The object is replaced behind the store's back with other bytes and
   * user metadata that describes them consistently (their own SHA-256 and size).
   */
  @Test
  void anObjectWhoseBytesAndMetadataWereBothReplacedIsAnIntegrityFailureNeverData()
      throws Exception {
    String runId = api.createRun(WRITER, List.of("docsgen.md"), false);
    api.start(WRITER, runId, "phase1");
    String path = runId + "/phase1/docsgen.md";
    Response created = api.putText(WRITER, path, "DOCUMENTATION", "# validated\n");
    Api.expect(created, 201);
    String hex = created.json().path("hash").asText().substring("sha256:".length());
    String generation = path + "!/0000000001/";
    byte[] forged = "# forged, with metadata to match\n".getBytes(UTF_8);
    String forgedHex =
        HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(forged));
    Map<String, String> metadata =
        new HashMap<>(
            S3.server()
                .rawClient()
                .headObject(b -> b.bucket(bucket).key(generation + hex))
                .metadata());
    metadata.put("docsgen-sha256", forgedHex);
    metadata.put("docsgen-size", Integer.toString(forged.length));
    // the indexed key gets other bytes and metadata describing them; the same bytes also sit under
    // their own key, as a losing candidate of a race would
    for (String key : List.of(generation + hex, generation + forgedHex)) {
      S3.server()
          .rawClient()
          .putObject(
              b -> b.bucket(bucket).key(key).metadata(metadata), RequestBody.fromBytes(forged));
    }

    Response read = api.get("/api/artifacts/" + path, READER);

    assertThat(read.status()).as(read.toString()).isEqualTo(502);
    assertThat(read.problem()).isEqualTo("integrity-failure");
    assertThat(read.json().path("path").asText()).isEqualTo(path);
    assertThat(read.text()).doesNotContain("forged");
  }
}
