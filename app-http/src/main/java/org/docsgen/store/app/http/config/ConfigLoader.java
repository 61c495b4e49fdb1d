package org.docsgen.store.app.http.config;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.docsgen.store.app.http.auth.Role;
import org.docsgen.store.app.http.config.ServerConfig.Artifacts;
import org.docsgen.store.app.http.config.ServerConfig.Backend;
import org.docsgen.store.app.http.config.ServerConfig.Manifest;
import org.docsgen.store.app.http.config.ServerConfig.S3;
import org.docsgen.store.app.http.config.ServerConfig.Server;
import org.docsgen.store.app.http.config.ServerConfig.Signing;
import org.docsgen.store.app.http.config.ServerConfig.TokenGrant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the configuration: one YAML file ({@code --config FILE}, else {@code DOCSGEN_CONFIG}, else
 * {@code ./docsgen.yaml} when present) and environment variables that override single keys: the
 * key's path upper-cased and joined by {@code _} ({@code server.port} → {@code
 * DOCSGEN_SERVER_PORT}; camel-case keys also answer with {@code _} between words, {@code
 * DOCSGEN_SERVER_MAX_ARTIFACT_BYTES}). {@code DOCSGEN_AUTH_TOKENS} and {@code
 * DOCSGEN_SIGNING_TRUSTEDPUBLICKEYS} hold a YAML/JSON list. With no file at all the embedded
 * default runs (filesystem + SQLite under {@code ./docsgen-data}) and, if no token is configured,
 * one admin token is generated for this start. Anything unusable fails here with a message naming
 * the key.
 */
public final class ConfigLoader {
  public static final String ENV_PREFIX = "DOCSGEN_";
  public static final String CONFIG_ENV = "DOCSGEN_CONFIG";
  public static final String DEFAULT_FILE = "docsgen.yaml";
  public static final String DATA_DIR = "./docsgen-data";

  private static final Logger LOG = LoggerFactory.getLogger(ConfigLoader.class);
  private static final Pattern PRINCIPAL = Pattern.compile("[A-Za-z0-9._@:-]{1,128}");
  private static final int MIN_TOKEN_LENGTH = 16;

  private enum Kind {
    STRING,
    INT,
    LONG,
    BOOL,
    TOKENS,
    PATHS
  }

  /** Every key the server understands, with its kind. Keys are case-sensitive, as written. */
  private static final Map<String, Kind> KEYS = new LinkedHashMap<>();

  static {
    KEYS.put("server.host", Kind.STRING);
    KEYS.put("server.port", Kind.INT);
    KEYS.put("server.maxArtifactBytes", Kind.LONG);
    KEYS.put("server.maxPreviewBytes", Kind.LONG);
    KEYS.put("auth.tokens", Kind.TOKENS);
    KEYS.put("artifacts.backend", Kind.STRING);
    KEYS.put("artifacts.fs.root", Kind.STRING);
    KEYS.put("artifacts.s3.bucket", Kind.STRING);
    KEYS.put("artifacts.s3.prefix", Kind.STRING);
    KEYS.put("artifacts.s3.endpoint", Kind.STRING);
    KEYS.put("artifacts.s3.region", Kind.STRING);
    KEYS.put("artifacts.s3.pathStyle", Kind.BOOL);
    KEYS.put("artifacts.s3.checksumsWhenRequired", Kind.BOOL);
    KEYS.put("manifest.url", Kind.STRING);
    KEYS.put("manifest.user", Kind.STRING);
    KEYS.put("manifest.password", Kind.STRING);
    KEYS.put("manifest.maxPoolSize", Kind.INT);
    KEYS.put("signing.keyFile", Kind.STRING);
    KEYS.put("signing.trustedPublicKeys", Kind.PATHS);
    KEYS.put("diff.maxTextBytes", Kind.LONG);
    KEYS.put("fsck.orphanGraceSeconds", Kind.LONG);
  }

  private final Map<String, String> env;
  private final Path workingDir;
  private final Map<String, JsonNode> values = new LinkedHashMap<>();

  private ConfigLoader(Map<String, String> env, Path workingDir) {
    this.env = Map.copyOf(env);
    this.workingDir = workingDir.toAbsolutePath().normalize();
  }

  /** Loads the configuration for a process started with {@code args}. */
  public static ServerConfig load(List<String> args, Map<String, String> env, Path workingDir) {
    ConfigLoader loader = new ConfigLoader(env, workingDir);
    Optional<Path> file = loader.locate(args);
    file.ifPresent(loader::readFile);
    loader.applyEnvironment();
    return loader.build(file);
  }

  /** Loads YAML text as if it were the configuration file (tests, tools). */
  public static ServerConfig fromYaml(String yaml, Map<String, String> env, Path workingDir) {
    ConfigLoader loader = new ConfigLoader(env, workingDir);
    loader.readTree(parse(yaml, "the given YAML"), Path.of("inline.yaml"));
    loader.applyEnvironment();
    return loader.build(Optional.of(Path.of("inline.yaml")));
  }

  /** All keys the loader accepts, in documentation order. */
  public static List<String> knownKeys() {
    return List.copyOf(KEYS.keySet());
  }

  /** The environment variable that overrides {@code key}, e.g. {@code DOCSGEN_SERVER_PORT}. */
  public static String envName(String key) {
    return ENV_PREFIX + key.replace('.', '_').toUpperCase(Locale.ROOT);
  }

  private static String envNameWithWords(String key) {
    return ENV_PREFIX
        + key.replace('.', '_').replaceAll("([a-z0-9])([A-Z])", "$1_$2").toUpperCase(Locale.ROOT);
  }

  private Optional<Path> locate(List<String> args) {
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      if (arg.equals("--config")) {
        if (i + 1 >= args.size()) {
          throw new ConfigException("--config", "needs a file name");
        }
        return Optional.of(existing("--config", args.get(i + 1)));
      }
      if (arg.startsWith("--config=")) {
        return Optional.of(existing("--config", arg.substring("--config=".length())));
      }
    }
    String fromEnv = env.get(CONFIG_ENV);
    if (fromEnv != null && !fromEnv.isBlank()) {
      return Optional.of(existing(CONFIG_ENV, fromEnv));
    }
    Path local = workingDir.resolve(DEFAULT_FILE);
    return Files.isRegularFile(local) ? Optional.of(local) : Optional.empty();
  }

  private Path existing(String key, String name) {
    Path path = resolve(key, name);
    if (!Files.isRegularFile(path)) {
      throw new ConfigException(key, "configuration file " + path + " does not exist");
    }
    return path;
  }

  private void readFile(Path file) {
    String text;
    try {
      text = Files.readString(file);
    } catch (IOException e) {
      throw new ConfigException("--config", "cannot read " + file + ": " + e.getMessage());
    }
    readTree(parse(text, file.toString()), file);
  }

  private static JsonNode parse(String yaml, String what) {
    try {
      JsonNode root = new YAMLMapper().readTree(yaml);
      return root == null ? MissingNode.getInstance() : root;
    } catch (JacksonException e) {
      throw new ConfigException(
          "(file)",
          what + " is not valid YAML: " + e.getOriginalMessage().lines().findFirst().orElse(""));
    }
  }

  private void readTree(JsonNode root, Path file) {
    if (root.isMissingNode() || root.isNull()) {
      return;
    }
    if (!root.isObject()) {
      throw new ConfigException("(root)", file + " must hold a mapping of sections");
    }
    walk("", root);
  }

  private void walk(String prefix, JsonNode node) {
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      String key = prefix.isEmpty() ? field.getKey() : prefix + "." + field.getKey();
      if (KEYS.containsKey(key)) {
        values.put(key, field.getValue());
      } else if (isSection(key)) {
        if (field.getValue().isObject()) {
          walk(key, field.getValue());
        } else if (!field.getValue().isNull()) {
          throw new ConfigException(key, "must be a mapping of keys, not a single value or list");
        }
      } else {
        throw new ConfigException(
            key, "unknown key; known keys are " + String.join(", ", KEYS.keySet()));
      }
    }
  }

  private static boolean isSection(String key) {
    return KEYS.keySet().stream().anyMatch(k -> k.startsWith(key + "."));
  }

  private void applyEnvironment() {
    Set<String> used = new HashSet<>();
    for (String key : KEYS.keySet()) {
      for (String name : List.of(envName(key), envNameWithWords(key))) {
        String value = env.get(name);
        if (value != null) {
          used.add(name);
          values.put(
              key,
              KEYS.get(key) == Kind.TOKENS || KEYS.get(key) == Kind.PATHS
                  ? parse(value, name)
                  : TextNode.valueOf(value));
          break;
        }
      }
    }
    for (String name : env.keySet()) {
      if (name.startsWith(ENV_PREFIX)
          && !used.contains(name)
          && !name.equals(CONFIG_ENV)
          && !name.startsWith("DOCSGEN_TEST_")
          && !isOverrideName(name)) {
        LOG.warn("ignoring environment variable {}: it names no configuration key", name);
      }
    }
  }

  private static boolean isOverrideName(String name) {
    return KEYS.keySet().stream()
        .anyMatch(k -> envName(k).equals(name) || envNameWithWords(k).equals(name));
  }

  private ServerConfig build(Optional<Path> file) {
    Server server =
        new Server(
            nonBlank("server.host", string("server.host", "127.0.0.1")),
            range("server.port", integer("server.port", 7070), 0, 65535),
            positive(
                "server.maxArtifactBytes",
                longValue("server.maxArtifactBytes", ServerConfig.DEFAULT_MAX_ARTIFACT_BYTES)),
            positive(
                "server.maxPreviewBytes",
                longValue("server.maxPreviewBytes", ServerConfig.DEFAULT_MAX_PREVIEW_BYTES)));
    ServerConfig.Diff diff =
        new ServerConfig.Diff(
            positive(
                "diff.maxTextBytes",
                longValue("diff.maxTextBytes", ServerConfig.DEFAULT_MAX_DIFF_TEXT_BYTES)));
    Artifacts artifacts =
        new Artifacts(
            backend(),
            resolve("artifacts.fs.root", string("artifacts.fs.root", DATA_DIR + "/artifacts")),
            s3());
    Manifest manifest = manifest();
    Signing signing =
        new Signing(
            resolve("signing.keyFile", string("signing.keyFile", DATA_DIR + "/bundle-signing.key")),
            paths("signing.trustedPublicKeys"));
    List<TokenGrant> tokens = tokens();
    Optional<String> generated = Optional.empty();
    if (tokens.isEmpty()) {
      if (file.isPresent()) {
        throw new ConfigException(
            "auth.tokens",
            "no token configured in "
                + file.get()
                + ": every API route needs a bearer token; add at least one"
                + " { token, principal, roles }");
      }
      String token = generateToken();
      generated = Optional.of(token);
      tokens = List.of(new TokenGrant(token, "admin", EnumSet.of(Role.ADMIN)));
    }
    if (artifacts.backend() == Backend.S3 && artifacts.s3().bucket().isBlank()) {
      throw new ConfigException("artifacts.s3.bucket", "is required when artifacts.backend is s3");
    }
    ServerConfig.Fsck fsck =
        new ServerConfig.Fsck(
            notNegative(
                "fsck.orphanGraceSeconds",
                longValue(
                    "fsck.orphanGraceSeconds", ServerConfig.Fsck.DEFAULT.orphanGraceSeconds())));
    return new ServerConfig(
        server, tokens, artifacts, manifest, signing, diff, file, generated, fsck);
  }

  private Backend backend() {
    String value = string("artifacts.backend", "fs");
    for (Backend backend : Backend.values()) {
      if (backend.label().equals(value)) {
        return backend;
      }
    }
    throw new ConfigException(
        "artifacts.backend", "must be one of fs, s3, jdbc, was '" + value + "'");
  }

  private S3 s3() {
    String endpoint = string("artifacts.s3.endpoint", "");
    if (!endpoint.isEmpty()) {
      try {
        URI uri = new URI(endpoint);
        if (uri.getScheme() == null
            || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))
            || uri.getHost() == null) {
          throw new URISyntaxException(endpoint, "needs http:// or https:// and a host");
        }
      } catch (URISyntaxException e) {
        throw new ConfigException(
            "artifacts.s3.endpoint",
            "must be empty (AWS) or an http(s) URL such as http://127.0.0.1:9000, was '"
                + endpoint
                + "'");
      }
    }
    return new S3(
        string("artifacts.s3.bucket", "docsgen"),
        string("artifacts.s3.prefix", ""),
        endpoint,
        nonBlank("artifacts.s3.region", string("artifacts.s3.region", "us-east-1")),
        bool("artifacts.s3.pathStyle", false),
        optionalBool("artifacts.s3.checksumsWhenRequired"));
  }

  private Manifest manifest() {
    String url = string("manifest.url", "jdbc:sqlite:" + DATA_DIR + "/manifest.db");
    if (!url.startsWith("jdbc:sqlite:") && !url.startsWith("jdbc:postgresql:")) {
      throw new ConfigException(
          "manifest.url",
          "must be a jdbc:sqlite: or jdbc:postgresql: URL, was '" + redactUrl(url) + "'");
    }
    if (url.startsWith("jdbc:sqlite:")) {
      url = resolveSqlite(url);
    }
    return new Manifest(
        url,
        string("manifest.user", ""),
        string("manifest.password", ""),
        range("manifest.maxPoolSize", integer("manifest.maxPoolSize", 10), 1, 1000));
  }

  /** Makes a relative SQLite file name absolute against the working directory. */
  private String resolveSqlite(String url) {
    String rest = url.substring("jdbc:sqlite:".length());
    int query = rest.indexOf('?');
    String file = query < 0 ? rest : rest.substring(0, query);
    String params = query < 0 ? "" : rest.substring(query);
    if (file.isEmpty() || file.equals(":memory:") || file.startsWith("file:")) {
      return url;
    }
    return "jdbc:sqlite:" + resolve("manifest.url", file) + params;
  }

  private static String redactUrl(String url) {
    return url.length() > 80 ? url.substring(0, 80) + "..." : url;
  }

  private List<TokenGrant> tokens() {
    JsonNode node = values.getOrDefault("auth.tokens", MissingNode.getInstance());
    if (node.isMissingNode() || node.isNull()) {
      return List.of();
    }
    if (!node.isArray()) {
      throw new ConfigException(
          "auth.tokens", "must be a list of { token, principal, roles } entries");
    }
    List<TokenGrant> grants = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < node.size(); i++) {
      String at = "auth.tokens[" + i + "]";
      JsonNode entry = node.get(i);
      if (!entry.isObject()) {
        throw new ConfigException(at, "must be a mapping { token, principal, roles }");
      }
      for (Iterator<String> names = entry.fieldNames(); names.hasNext(); ) {
        String name = names.next();
        if (!Set.of("token", "principal", "roles").contains(name)) {
          throw new ConfigException(
              at + "." + name, "unknown key; expected token, principal, roles");
        }
      }
      String token = scalar(at + ".token", entry.path("token"));
      if (token == null || token.length() < MIN_TOKEN_LENGTH || !token.matches("[\\x21-\\x7e]+")) {
        throw new ConfigException(
            at + ".token",
            "must be at least " + MIN_TOKEN_LENGTH + " visible ASCII characters without spaces");
      }
      if (!seen.add(token)) {
        throw new ConfigException(at + ".token", "the same token is configured twice");
      }
      String principal = scalar(at + ".principal", entry.path("principal"));
      if (principal == null || !PRINCIPAL.matcher(principal).matches()) {
        throw new ConfigException(
            at + ".principal",
            "must be 1-128 characters of [A-Za-z0-9._@:-], was '" + principal + "'");
      }
      grants.add(new TokenGrant(token, principal, roles(at + ".roles", entry.path("roles"))));
    }
    return grants;
  }

  /** A list of file paths (a single value is a list of one), resolved like every path. */
  private List<Path> paths(String key) {
    JsonNode node = values.getOrDefault(key, MissingNode.getInstance());
    if (node.isMissingNode() || node.isNull()) {
      return List.of();
    }
    List<JsonNode> items = new ArrayList<>();
    if (node.isArray()) {
      node.forEach(items::add);
    } else if (node.isValueNode()) {
      items.add(node);
    } else {
      throw new ConfigException(key, "must be a list of file paths");
    }
    List<Path> paths = new ArrayList<>();
    for (int i = 0; i < items.size(); i++) {
      String at = key + "[" + i + "]";
      if (!items.get(i).isValueNode() || items.get(i).isNull()) {
        throw new ConfigException(at, "must be a file path");
      }
      paths.add(resolve(at, items.get(i).asText()));
    }
    return paths;
  }

  private static Set<Role> roles(String key, JsonNode node) {
    List<JsonNode> items = new ArrayList<>();
    if (node.isArray()) {
      node.forEach(items::add);
    } else if (node.isTextual()) {
      items.add(node);
    }
    if (items.isEmpty()) {
      throw new ConfigException(key, "needs at least one of reader, writer, approver, admin");
    }
    Set<Role> roles = EnumSet.noneOf(Role.class);
    for (JsonNode item : items) {
      roles.add(
          Role.parse(item.asText())
              .orElseThrow(
                  () ->
                      new ConfigException(
                          key,
                          "unknown role '"
                              + item.asText()
                              + "'; roles are reader, writer, approver, admin")));
    }
    return roles;
  }

  private static String generateToken() {
    byte[] bytes = new byte[32];
    new SecureRandom().nextBytes(bytes);
    return "dgs_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  // ---- typed access with the key in every message

  private String string(String key, String fallback) {
    JsonNode node = values.get(key);
    if (node == null || node.isNull() || node.isMissingNode()) {
      return fallback;
    }
    return scalar(key, node);
  }

  private static String scalar(String key, JsonNode node) {
    if (node.isMissingNode() || node.isNull()) {
      return null;
    }
    if (!node.isValueNode()) {
      throw new ConfigException(key, "must be a single value, not a list or mapping");
    }
    return node.asText();
  }

  private int integer(String key, int fallback) {
    long value = longValue(key, fallback);
    if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
      throw new ConfigException(key, "is out of range: " + value);
    }
    return (int) value;
  }

  private long longValue(String key, long fallback) {
    String text = string(key, null);
    if (text == null) {
      return fallback;
    }
    try {
      return Long.parseLong(text.strip().replace("_", ""));
    } catch (NumberFormatException e) {
      throw new ConfigException(key, "must be a whole number, was '" + text + "'");
    }
  }

  /** {@code null} when the key is unset (or empty). */
  private Boolean optionalBool(String key) {
    String text = string(key, null);
    return text == null || text.isBlank() ? null : bool(key, false);
  }

  private boolean bool(String key, boolean fallback) {
    String text = string(key, null);
    if (text == null) {
      return fallback;
    }
    return switch (text.strip().toLowerCase(Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default -> throw new ConfigException(key, "must be true or false, was '" + text + "'");
    };
  }

  private static int range(String key, int value, int min, int max) {
    if (value < min || value > max) {
      throw new ConfigException(key, "must be between " + min + " and " + max + ", was " + value);
    }
    return value;
  }

  private static long positive(String key, long value) {
    if (value < 1) {
      throw new ConfigException(key, "must be at least 1, was " + value);
    }
    return value;
  }

  private static long notNegative(String key, long value) {
    if (value < 0) {
      throw new ConfigException(key, "must be 0 or more, was " + value);
    }
    return value;
  }

  private static String nonBlank(String key, String value) {
    if (value == null || value.isBlank()) {
      throw new ConfigException(key, "must not be empty");
    }
    return value;
  }

  private Path resolve(String key, String name) {
    if (name == null || name.isBlank()) {
      throw new ConfigException(key, "must name a file or directory");
    }
    try {
      return workingDir.resolve(name).normalize();
    } catch (InvalidPathException e) {
      throw new ConfigException(key, "is not a valid path: " + e.getMessage());
    }
  }
}
