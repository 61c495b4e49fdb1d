package org.docsgen.store.app.http.config;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonValue;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.docsgen.store.adapters.jdbc.JdbcSettings;
import org.docsgen.store.app.http.auth.Role;

/**
 * The server's whole configuration, validated (ARCHITECTURE.md § Configuration). Built by {@link
 * ConfigLoader} from docsgen.yaml and {@code DOCSGEN_*} environment overrides, or directly by
 * tests. The nested records are the file's sections: the loader binds them with Jackson, so their
 * components are the keys, and each constructor checks its values, naming the key (relative to the
 * section; the loader puts the section's path in front).
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
      nonBlank("host", host);
      range("port", port, 0, 65535);
      atLeastOne("maxArtifactBytes", maxArtifactBytes);
      atLeastOne("maxPreviewBytes", maxPreviewBytes);
    }
  }

  /** {@code diff.*}: the largest text (each side) that gets a unified diff. */
  public record Diff(long maxTextBytes) {
    public Diff {
      atLeastOne("maxTextBytes", maxTextBytes);
    }
  }

  /** One entry of {@code auth.tokens}: a bearer token, who it stands for and its roles. */
  public record TokenGrant(String token, String principal, Set<Role> roles) {
    private static final Pattern PRINCIPAL = Pattern.compile("[A-Za-z0-9._@:-]{1,128}");
    private static final int MIN_TOKEN_LENGTH = 16;

    public TokenGrant {
      requireNonNull(token, "token is null");
      requireNonNull(principal, "principal is null");
      roles = Set.copyOf(roles);
    }

    /** An entry as configured: checked, roles by name (one name alone is a list of one). */
    @JsonCreator
    static TokenGrant configured(
        @JsonProperty("token") String token,
        @JsonProperty("principal") String principal,
        @JsonProperty("roles") @JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY)
            List<String> roles) {
      if (token == null || token.length() < MIN_TOKEN_LENGTH || !token.matches("[\\x21-\\x7e]+")) {
        throw new ConfigException(
            "token",
            "must be at least " + MIN_TOKEN_LENGTH + " visible ASCII characters without spaces");
      }
      if (principal == null || !PRINCIPAL.matcher(principal).matches()) {
        throw new ConfigException(
            "principal", "must be 1-128 characters of [A-Za-z0-9._@:-], was '" + principal + "'");
      }
      if (roles == null || roles.isEmpty()) {
        throw new ConfigException("roles", "needs at least one of reader, writer, approver, admin");
      }
      Set<Role> parsed = EnumSet.noneOf(Role.class);
      for (String name : roles) {
        parsed.add(
            Role.parse(name)
                .orElseThrow(
                    () ->
                        new ConfigException(
                            "roles",
                            "unknown role '"
                                + name
                                + "'; roles are reader, writer, approver, admin")));
      }
      return new TokenGrant(token, principal, parsed);
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

    /** The name as configured: {@code fs}, {@code s3}, {@code jdbc}. */
    @JsonValue
    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** {@code artifacts.*}. */
  public record Artifacts(Backend backend, Fs fs, S3 s3) {
    public Artifacts {
      requireNonNull(backend, "backend is null");
      requireNonNull(fs, "fs is null");
      requireNonNull(s3, "s3 is null");
      if (backend == Backend.S3 && s3.bucket().isBlank()) {
        throw new ConfigException("s3.bucket", "is required when artifacts.backend is s3");
      }
    }

    /** {@code artifacts.fs.root}. */
    public Path fsRoot() {
      return fs.root();
    }
  }

  /** {@code artifacts.fs.*}: the folder the filesystem backend keeps artifacts in. */
  public record Fs(Path root) {
    public Fs {
      requireNonNull(root, "root is null");
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
      nonBlank("region", region);
      if (!endpoint.isEmpty() && !isHttpUrl(endpoint)) {
        throw new ConfigException(
            "endpoint",
            "must be empty (AWS) or an http(s) URL such as http://127.0.0.1:9000, was '"
                + endpoint
                + "'");
      }
    }

    private static boolean isHttpUrl(String endpoint) {
      try {
        URI uri = new URI(endpoint);
        return ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
            && uri.getHost() != null;
      } catch (URISyntaxException e) {
        return false;
      }
    }
  }

  /** {@code manifest.*}: a JDBC URL (SQLite or PostgreSQL) and its credentials. */
  public record Manifest(String url, String user, String password, int maxPoolSize) {
    public Manifest {
      requireNonNull(url, "url is null");
      requireNonNull(user, "user is null");
      requireNonNull(password, "password is null");
      if (!JdbcSettings.isSupported(url)) {
        throw new ConfigException(
            "url",
            "must be a jdbc:sqlite: or jdbc:postgresql: URL, was '"
                + (url.length() > 80 ? url.substring(0, 80) + "..." : url)
                + "'");
      }
      range("maxPoolSize", maxPoolSize, 1, 1000);
    }

    public boolean isSqlite() {
      return JdbcSettings.isSqlite(url);
    }

    @Override
    public String toString() {
      return "Manifest[url=" + url + ", user=" + user + ", maxPoolSize=" + maxPoolSize + "]";
    }
  }

  /**
   * {@code signing.keyFile}: the Ed25519 key (PEM), generated on first start; {@code
   * signing.trustedPublicKeys}: PEM files of retired keys that still verify older bundles (one file
   * alone is a list of one).
   */
  public record Signing(
      Path keyFile,
      @JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY)
          List<Path> trustedPublicKeys) {
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
    public Fsck {
      if (orphanGraceSeconds < 0) {
        throw new ConfigException(
            "orphanGraceSeconds", "must be 0 or more, was " + orphanGraceSeconds);
      }
    }
  }

  private static void range(String key, int value, int min, int max) {
    if (value < min || value > max) {
      throw new ConfigException(key, "must be between " + min + " and " + max + ", was " + value);
    }
  }

  private static void atLeastOne(String key, long value) {
    if (value < 1) {
      throw new ConfigException(key, "must be at least 1, was " + value);
    }
  }

  private static void nonBlank(String key, String value) {
    if (value == null || value.isBlank()) {
      throw new ConfigException(key, "must not be empty");
    }
  }
}
