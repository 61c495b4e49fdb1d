package org.docsgen.store.app.cli.reliability.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A deployment's {@code docsgen.yaml} and environment, as a user writes them: the server on
 * 127.0.0.1 (port chosen at start), a writer, a reader, an approver and an admin token, and one of
 * the two production shapes of the stores. The server jar and the CLI jar read the same file.
 */
public record StoreConfig(String name, Path file, Map<String, String> env) {
  public static final String WRITER = "reliability-writer-token";
  public static final String READER = "reliability-reader-token";
  public static final String APPROVER = "reliability-approver-token";
  public static final String ADMIN = "reliability-admin-token";

  private static final String SERVER_AND_TOKENS =
      "server: { host: 127.0.0.1, port: 0 }\n"
          + "auth:\n  tokens:\n"
          + "    - { token: "
          + WRITER
          + ", principal: orchestrator, roles: [writer] }\n"
          + "    - { token: "
          + READER
          + ", principal: rita-reader, roles: [reader] }\n"
          + "    - { token: "
          + APPROVER
          + ", principal: alice-approver, roles: [approver] }\n"
          + "    - { token: "
          + ADMIN
          + ", principal: ada-admin, roles: [admin] }\n";

  /** Filesystem + SQLite under {@code data} (the embedded default's shape). */
  public static StoreConfig fsSqlite(Path dir, Path data) throws IOException {
    String yaml =
        fsSqliteYaml(
            data.resolve("artifacts"),
            data.resolve("manifest.db"),
            data.resolve("bundle-signing.key"));
    return new StoreConfig("fs+SQLite", write(dir, yaml), Map.of());
  }

  /** The YAML of a filesystem + SQLite deployment on these paths, with the four tokens. */
  public static String fsSqliteYaml(Path artifactRoot, Path manifestDb, Path keyFile) {
    return SERVER_AND_TOKENS
        + "artifacts:\n  backend: fs\n  fs: { root: \""
        + artifactRoot
        + "\" }\n"
        + "manifest: { url: \"jdbc:sqlite:"
        + manifestDb
        + "\" }\n"
        + "signing: { keyFile: \""
        + keyFile
        + "\" }\n";
  }

  /**
   * S3 (the README's block: endpoint and path style only) + PostgreSQL at {@code jdbcUrl}; the
   * signing key under {@code dir} (shared by every instance of this config).
   */
  public static StoreConfig s3Postgres(
      Path dir, S3proxyProcess s3, String bucket, String jdbcUrl, String user, String password)
      throws IOException {
    String yaml =
        SERVER_AND_TOKENS
            + "artifacts:\n  backend: s3\n  s3: { bucket: "
            + bucket
            + ", endpoint: \""
            + s3.endpoint()
            + "\", pathStyle: true }\n"
            + "manifest: { url: \""
            + jdbcUrl
            + "\", user: \""
            + (user == null ? "" : user)
            + "\", password: \""
            + (password == null ? "" : password)
            + "\" }\n"
            + "signing: { keyFile: \""
            + dir.resolve("bundle-signing.key")
            + "\" }\n";
    return new StoreConfig("S3+PostgreSQL", write(dir, yaml), s3.credentials());
  }

  private static Path write(Path dir, String yaml) throws IOException {
    Files.createDirectories(dir);
    return Files.writeString(dir.resolve("docsgen.yaml"), yaml);
  }
}
