package org.docsgen.store.app.http.config;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.docsgen.store.app.http.auth.Role;

/**
 * The server's whole configuration, validated (ARCHITECTURE.md § Configuration). Built by {@link
 * ConfigLoader} from docsgen.yaml and {@code DOCSGEN_*} environment overrides, or directly by
 * tests.
 *
 * @param source the file read, empty when the embedded default runs without one
 * @param generatedAdminToken set when no token was configured and one was generated for this start
 */
public record ServerConfig(
    Server server,
    List<TokenGrant> tokens,
    Artifacts artifacts,
    Manifest manifest,
    Signing signing,
    Diff diff,
    Optional<Path> source,
    Optional<String> generatedAdminToken,
    Fsck fsck) {

  /** Default maximum artifact size: 5 GiB. */
  public static final long DEFAULT_MAX_ARTIFACT_BYTES = 5L * 1024 * 1024 * 1024;

  /** Default {@code server.maxPreviewBytes}: 1 MiB. */
  public static final long DEFAULT_MAX_PREVIEW_BYTES = 1024 * 1024;

  /** Default {@code diff.maxTextBytes}: 1 MiB. */
  public static final long DEFAULT_MAX_DIFF_TEXT_BYTES = 1024 * 1024;

  public ServerConfig {
    requireNonNull(server, "server is null");
    tokens = List.copyOf(tokens);
    requireNonNull(artifacts, "artifacts is null");
    requireNonNull(manifest, "manifest is null");
    requireNonNull(signing, "signing is null");
    requireNonNull(diff, "diff is null");
    requireNonNull(source, "source is null");
    requireNonNull(generatedAdminToken, "generatedAdminToken is null");
    requireNonNull(fsck, "fsck is null");
  }

  /**
   * {@code server.*}: where to listen, the largest artifact accepted and the largest {@code
   * ?lines=} preview answered (413 above).
   */
  public record Server(String host, int port, long maxArtifactBytes, long maxPreviewBytes) {
    public Server {
      requireNonNull(host, "host is null");
    }

    /** With the default {@code maxPreviewBytes}. */
    public Server(String host, int port, long maxArtifactBytes) {
      this(host, port, maxArtifactBytes, DEFAULT_MAX_PREVIEW_BYTES);
    }
  }

  /** {@code diff.*}: the largest text (each side) that gets a unified diff. */
  public record Diff(long maxTextBytes) {}

  /** One entry of {@code auth.tokens}: a bearer token, who it stands for and its roles. */
  public record TokenGrant(String token, String principal, Set<Role> roles) {
    public TokenGrant {
      requireNonNull(token, "token is null");
      requireNonNull(principal, "principal is null");
      roles = Set.copyOf(roles);
    }

    @Override
    public String toString() {
      return "TokenGrant[principal=" + principal + ", roles=" + roles + "]";
    }
  }

  /** Which artifact backend runs. */
  public enum Backend {
    FS,
    S3,
    JDBC;

    public String label() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** {@code artifacts.*}. */
  public record Artifacts(Backend backend, Path fsRoot, S3 s3) {
    public Artifacts {
      requireNonNull(backend, "backend is null");
      requireNonNull(fsRoot, "fsRoot is null");
      requireNonNull(s3, "s3 is null");
    }
  }

  /**
   * {@code artifacts.s3.*}. {@code endpoint} empty means AWS itself; {@code checksumsWhenRequired}
   * is for S3-compatible servers that reject the SDK's default checksums (s3proxy, STACK.md):
   * {@code null} (unset) = decided by the S3 store's start-up probe, {@code true}/{@code false} =
   * as given.
   */
  public record S3(
      String bucket,
      String prefix,
      String endpoint,
      String region,
      boolean pathStyle,
      Boolean checksumsWhenRequired) {
    public S3 {
      requireNonNull(bucket, "bucket is null");
      requireNonNull(prefix, "prefix is null");
      requireNonNull(endpoint, "endpoint is null");
      requireNonNull(region, "region is null");
    }
  }

  /** {@code manifest.*}: a JDBC URL (SQLite or PostgreSQL) and its credentials. */
  public record Manifest(String url, String user, String password, int maxPoolSize) {
    public Manifest {
      requireNonNull(url, "url is null");
      requireNonNull(user, "user is null");
      requireNonNull(password, "password is null");
    }

    public boolean isSqlite() {
      return url.startsWith("jdbc:sqlite:");
    }

    @Override
    public String toString() {
      return "Manifest[url=" + url + ", user=" + user + ", maxPoolSize=" + maxPoolSize + "]";
    }
  }

  /**
   * {@code signing.keyFile}: the Ed25519 key (PEM), generated on first start; {@code
   * signing.trustedPublicKeys}: PEM files of retired keys that still verify older bundles.
   */
  public record Signing(Path keyFile, List<Path> trustedPublicKeys) {
    public Signing {
      requireNonNull(keyFile, "keyFile is null");
      trustedPublicKeys =
          List.copyOf(requireNonNull(trustedPublicKeys, "trustedPublicKeys is null"));
    }

    public Signing(Path keyFile) {
      this(keyFile, List.of());
    }
  }

  /**
   * {@code fsck.*}: {@code orphanGraceSeconds} is how old an orphan (stored bytes no index entry
   * names) must be, by the store's own creation time, before {@code fsck --repair} removes it.
   */
  public record Fsck(long orphanGraceSeconds) {
    public static final Fsck DEFAULT = new Fsck(3600);

    public Fsck {
      if (orphanGraceSeconds < 0) {
        throw new IllegalArgumentException("orphanGraceSeconds must be >= 0");
      }
    }
  }

  public ServerConfig withServer(Server newServer) {
    return new ServerConfig(
        newServer, tokens, artifacts, manifest, signing, diff, source, generatedAdminToken, fsck);
  }

  public ServerConfig withTokens(List<TokenGrant> newTokens) {
    return new ServerConfig(
        server, newTokens, artifacts, manifest, signing, diff, source, Optional.empty(), fsck);
  }

  public ServerConfig withArtifacts(Artifacts newArtifacts) {
    return new ServerConfig(
        server, tokens, newArtifacts, manifest, signing, diff, source, generatedAdminToken, fsck);
  }

  public ServerConfig withManifest(Manifest newManifest) {
    return new ServerConfig(
        server, tokens, artifacts, newManifest, signing, diff, source, generatedAdminToken, fsck);
  }
}
