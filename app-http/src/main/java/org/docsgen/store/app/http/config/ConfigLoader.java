package org.docsgen.store.app.http.config;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.docsgen.store.adapters.jdbc.JdbcSettings;
import org.docsgen.store.app.http.auth.Role;
import org.docsgen.store.app.http.config.ServerConfig.Artifacts;
import org.docsgen.store.app.http.config.ServerConfig.Diff;
import org.docsgen.store.app.http.config.ServerConfig.Fsck;
import org.docsgen.store.app.http.config.ServerConfig.Manifest;
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
 * DOCSGEN_SIGNING_TRUSTEDPUBLICKEYS} hold a YAML/JSON list.
 *
 * <p>One pass: the defaults ({@link #DEFAULTS}), the file laid over them, the environment laid over
 * that, then the tree bound by Jackson into {@link ServerConfig}'s records, whose components are
 * the keys and whose constructors are the checks. With no file at all the embedded default runs
 * (filesystem + SQLite under {@code ./docsgen-data}). Anything unusable fails here with a message
 * naming the key.
 */
public final class ConfigLoader {
  public static final String ENV_PREFIX = "DOCSGEN_";
  public static final String CONFIG_ENV = "DOCSGEN_CONFIG";
  public static final String DEFAULT_FILE = "docsgen.yaml";
  public static final String DATA_DIR = "./docsgen-data";

  private static final Logger LOG = LoggerFactory.getLogger(ConfigLoader.class);
  private static final String WORKING_DIR = "workingDir";

  /** Every key's value when neither the file nor the environment sets it. */
  private static final String DEFAULTS =
      """
      server: { host: 127.0.0.1, port: 7070, maxArtifactBytes: 5368709120, maxPreviewBytes: 1048576 }
      auth: { tokens: [] }
      artifacts:
        backend: fs
        fs: { root: ./docsgen-data/artifacts }
        s3: { bucket: docsgen, prefix: "", endpoint: "", region: us-east-1, pathStyle: false }
      manifest: { url: "jdbc:sqlite:./docsgen-data/manifest.db", user: "", password: "", maxPoolSize: 10 }
      signing: { keyFile: ./docsgen-data/bundle-signing.key, trustedPublicKeys: [] }
      diff: { maxTextBytes: 1048576 }
      fsck: { orphanGraceSeconds: 3600 }
      """;

  /** What the configuration is loaded for. */
  public enum Purpose {
    /**
     * The HTTP server: every API route needs a bearer token, so a file must list {@code
     * auth.tokens}; with no file and none configured, one admin token is generated for this start.
     */
    SERVER,
    /** Local commands: API tokens mean nothing there (listed ones are still checked). */
    LOCAL
  }

  /** The file's shape: one component per section. */
  record Document(
      Server server,
      Auth auth,
      Artifacts artifacts,
      Manifest manifest,
      Signing signing,
      Diff diff,
      Fsck fsck) {}

  /** {@code auth.*}. */
  record Auth(List<TokenGrant> tokens) {
    Auth {
      Set<String> seen = new HashSet<>();
      for (int i = 0; i < tokens.size(); i++) {
        if (tokens.get(i) == null) {
          throw new ConfigException(
              "tokens[" + i + "]", "must be a mapping { token, principal, roles }");
        }
        if (!seen.add(tokens.get(i).token())) {
          throw new ConfigException(
              "tokens[" + i + "].token", "the same token is configured twice");
        }
      }
      tokens = List.copyOf(tokens);
    }
  }

  /** Every key, in documentation order, and whether it holds a list. */
  private static final Map<String, Boolean> KEYS = keys(Document.class, "", new LinkedHashMap<>());

  private static final ObjectReader READER =
      YAMLMapper.builder()
          .addModule(
              new SimpleModule()
                  .addDeserializer(Path.class, scalar(ConfigLoader::path))
                  .addDeserializer(long.class, scalar((text, ctxt) -> wholeNumber(text)))
                  .addDeserializer(int.class, scalar((text, ctxt) -> intNumber(text)))
                  .addDeserializer(boolean.class, scalar((text, ctxt) -> bool(text)))
                  .addDeserializer(
                      Boolean.class, scalar((text, ctxt) -> text.isBlank() ? null : bool(text))))
          .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
          .build()
          .readerFor(Document.class);
  private static final JsonNode DEFAULT_TREE = parse(DEFAULTS, "the defaults");

  private ConfigLoader() {}

  /** Loads the server's configuration for a process started with {@code args}. */
  public static ServerConfig load(List<String> args, Map<String, String> env, Path workingDir) {
    return read(Purpose.SERVER, configFlag(args), env, workingDir);
  }

  /**
   * Loads the configuration for {@code purpose} from {@code file} (relative to {@code workingDir};
   * when empty: {@code DOCSGEN_CONFIG}, else {@code ./docsgen.yaml} when present, else none).
   */
  public static ServerConfig load(
      Purpose purpose, Optional<Path> file, Map<String, String> env, Path workingDir) {
    return read(purpose, file.map(Path::toString), env, workingDir);
  }

  private static ServerConfig read(
      Purpose purpose, Optional<String> file, Map<String, String> env, Path workingDir) {
    Path dir = workingDir.toAbsolutePath().normalize();
    Optional<Path> source =
        file.isPresent() ? Optional.of(existing("--config", file.get(), dir)) : locate(env, dir);
    ObjectNode tree = DEFAULT_TREE.deepCopy();
    source.ifPresent(f -> overlay(tree, sections(parse(read(f), f.toString()), f)));
    return bind(tree, env, purpose, source, dir);
  }

  /** Loads YAML text as if it were the server's configuration file (tests, tools). */
  public static ServerConfig fromYaml(String yaml, Map<String, String> env, Path workingDir) {
    Path inline = Path.of("inline.yaml");
    ObjectNode tree = DEFAULT_TREE.deepCopy();
    overlay(tree, sections(parse(yaml, "the given YAML"), inline));
    return bind(
        tree, env, Purpose.SERVER, Optional.of(inline), workingDir.toAbsolutePath().normalize());
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

  private static Map<String, Boolean> keys(
      Class<?> section, String prefix, Map<String, Boolean> into) {
    for (RecordComponent component : section.getRecordComponents()) {
      String key = prefix + component.getName();
      if (component.getType().isRecord()) {
        keys(component.getType(), key + ".", into);
      } else {
        into.put(key, Collection.class.isAssignableFrom(component.getType()));
      }
    }
    return into;
  }

  // ---- finding and reading the file

  private static Optional<String> configFlag(List<String> args) {
    for (int i = 0; i < args.size(); i++) {
      if (args.get(i).equals("--config")) {
        if (i + 1 >= args.size()) {
          throw new ConfigException("--config", "needs a file name");
        }
        return Optional.of(args.get(i + 1));
      }
      if (args.get(i).startsWith("--config=")) {
        return Optional.of(args.get(i).substring("--config=".length()));
      }
    }
    return Optional.empty();
  }

  private static Optional<Path> locate(Map<String, String> env, Path dir) {
    String fromEnv = env.get(CONFIG_ENV);
    if (fromEnv != null && !fromEnv.isBlank()) {
      return Optional.of(existing(CONFIG_ENV, fromEnv, dir));
    }
    Path local = dir.resolve(DEFAULT_FILE);
    return Files.isRegularFile(local) ? Optional.of(local) : Optional.empty();
  }

  private static Path existing(String key, String name, Path dir) {
    Path path = resolve(key, name, dir);
    if (!Files.isRegularFile(path)) {
      throw new ConfigException(key, "configuration file " + path + " does not exist");
    }
    return path;
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new ConfigException("--config", "cannot read " + file + ": " + e.getMessage());
    }
  }

  private static JsonNode parse(String yaml, String what) {
    try {
      JsonNode root = READER.readTree(yaml);
      return root == null ? MissingNode.getInstance() : root;
    } catch (JacksonException e) {
      throw new ConfigException(
          "(file)",
          what + " is not valid YAML: " + e.getOriginalMessage().lines().findFirst().orElse(""));
    }
  }

  private static JsonNode sections(JsonNode root, Path file) {
    if (!root.isMissingNode() && !root.isNull() && !root.isObject()) {
      throw new ConfigException("(root)", file + " must hold a mapping of sections");
    }
    return root;
  }

  // ---- one tree: defaults, file, environment

  /**
   * Lays {@code top} over {@code base}: mappings merge key by key, any other value replaces, and a
   * null leaves the value below in place (an unknown key stays, so binding names it).
   */
  private static void overlay(ObjectNode base, JsonNode top) {
    top.properties()
        .forEach(
            field -> {
              JsonNode below = base.get(field.getKey());
              if (below instanceof ObjectNode section && field.getValue().isObject()) {
                overlay(section, field.getValue());
              } else if (!field.getValue().isNull() || below == null) {
                base.set(field.getKey(), field.getValue());
              }
            });
  }

  private static void overlayEnvironment(ObjectNode tree, Map<String, String> env) {
    KEYS.forEach(
        (key, isList) ->
            Stream.of(envName(key), envNameWithWords(key))
                .filter(env::containsKey)
                .findFirst()
                .ifPresent(name -> set(tree, key, value(env.get(name), name, isList))));
    Set<String> names =
        KEYS.keySet().stream()
            .flatMap(k -> Stream.of(envName(k), envNameWithWords(k)))
            .collect(Collectors.toSet());
    for (String name : env.keySet()) {
      if (name.startsWith(ENV_PREFIX)
          && !names.contains(name)
          && !name.equals(CONFIG_ENV)
          && !name.startsWith("DOCSGEN_TEST_")) {
        LOG.warn("ignoring environment variable {}: it names no configuration key", name);
      }
    }
  }

  /** A list key's variable holds YAML (empty: no entries); any other key's, the value's text. */
  private static JsonNode value(String text, String name, boolean isList) {
    JsonNode value = isList ? parse(text, name) : TextNode.valueOf(text);
    return value.isMissingNode() || value.isNull() ? JsonNodeFactory.instance.arrayNode() : value;
  }

  /** Sets {@code key} in {@code tree}, unless the file made its section a non-mapping. */
  private static void set(ObjectNode tree, String key, JsonNode value) {
    JsonPointer pointer = JsonPointer.compile("/" + key.replace('.', '/'));
    if (tree.at(pointer.head()) instanceof ObjectNode section) {
      section.set(pointer.last().getMatchingProperty(), value);
    } // else binding reports the file's section
  }

  // ---- binding

  private static ServerConfig bind(
      ObjectNode tree, Map<String, String> env, Purpose purpose, Optional<Path> source, Path dir) {
    overlayEnvironment(tree, env);
    Document document;
    try {
      document = READER.withAttribute(WORKING_DIR, dir).readValue(tree);
    } catch (JsonMappingException e) {
      throw explain(e);
    } catch (IOException e) {
      throw new ConfigException("(file)", e.getMessage());
    }
    Manifest manifest = document.manifest();
    try {
      manifest =
          new Manifest(
              JdbcSettings.resolveSqliteFile(manifest.url(), dir),
              manifest.user(),
              manifest.password(),
              manifest.maxPoolSize());
    } catch (InvalidPathException e) {
      throw new ConfigException("manifest.url", "is not a valid path: " + e.getMessage());
    }
    List<TokenGrant> tokens = document.auth().tokens();
    Optional<String> generated = Optional.empty();
    if (tokens.isEmpty() && purpose == Purpose.SERVER) {
      if (source.isPresent()) {
        throw new ConfigException(
            "auth.tokens",
            "no token configured in "
                + source.get()
                + ": every API route needs a bearer token; add at least one"
                + " { token, principal, roles }");
      }
      generated = Optional.of(generateToken());
      tokens = List.of(new TokenGrant(generated.get(), "admin", EnumSet.of(Role.ADMIN)));
    }
    return new ServerConfig(
        document.server(),
        tokens,
        document.artifacts(),
        manifest,
        document.signing(),
        document.diff(),
        source,
        generated,
        document.fsck());
  }

  /**
   * The words these keys have always used for a value of the wrong shape (a list where a mapping
   * belongs, ...), kept so that the messages users know stay the same; every other key says it by
   * type. Keys with {@code []} for any index.
   */
  private static final String SINGLE_VALUE = "must be a single value, not a list or mapping";

  private static final Map<String, String> SHAPE_WORDS =
      Map.of(
          "auth.tokens", "must be a list of { token, principal, roles } entries",
          "auth.tokens[]", "must be a mapping { token, principal, roles }",
          "signing.trustedPublicKeys", "must be a list of file paths",
          "signing.trustedPublicKeys[]", "must be a file path");

  /** Jackson's failure as the key it happened at and what would be accepted there. */
  private static ConfigException explain(JsonMappingException e) {
    List<JsonMappingException.Reference> path = e.getPath();
    String key = key(path);
    String words = SHAPE_WORDS.get(key.replaceAll("\\[\\d+]", "[]"));
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof ConfigException refused) {
        return words != null && refused.getMessage().endsWith(SINGLE_VALUE)
            ? new ConfigException(key, words)
            : refused.at(key);
      }
    }
    if (e instanceof UnrecognizedPropertyException unknown) {
      boolean inList = path.size() > 1 && path.get(path.size() - 2).getFieldName() == null;
      return new ConfigException(
          key,
          inList
              ? "unknown key; expected "
                  + Arrays.stream(unknown.getReferringClass().getRecordComponents())
                      .map(RecordComponent::getName)
                      .collect(Collectors.joining(", "))
              : "unknown key; known keys are " + String.join(", ", KEYS.keySet()));
    }
    Class<?> type = e instanceof MismatchedInputException m ? m.getTargetType() : null;
    if (words != null && type != null && !(e instanceof InvalidFormatException)) {
      return new ConfigException(key, words);
    }
    if (type == null) {
      return new ConfigException(key, e.getOriginalMessage());
    } else if (type.isRecord()) {
      return new ConfigException(key, "must be a mapping of keys, not a single value or list");
    } else if (Collection.class.isAssignableFrom(type)) {
      return new ConfigException(key, "must be a list, not a single value or mapping");
    } else if (type.isEnum() && e instanceof InvalidFormatException bad) {
      return new ConfigException(
          key,
          "must be one of "
              + Arrays.stream(type.getEnumConstants())
                  .map(c -> c.toString().toLowerCase(Locale.ROOT))
                  .collect(Collectors.joining(", "))
              + ", was '"
              + bad.getValue()
              + "'");
    }
    return new ConfigException(key, SINGLE_VALUE);
  }

  /** {@code auth.tokens[0].token} from Jackson's path. */
  private static String key(List<JsonMappingException.Reference> path) {
    StringBuilder key = new StringBuilder();
    for (JsonMappingException.Reference ref : path) {
      if (ref.getFieldName() == null) {
        key.append('[').append(ref.getIndex()).append(']');
      } else {
        key.append(key.isEmpty() ? "" : ".").append(ref.getFieldName());
      }
    }
    return key.toString();
  }

  // ---- scalars as the file or an environment variable writes them

  /** A scalar's text parsed by {@code parse}; a list or mapping is refused, null reads as "". */
  private static <T> JsonDeserializer<T> scalar(
      BiFunction<String, DeserializationContext, T> parse) {
    return new JsonDeserializer<>() {
      @Override
      public T deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
        if (!p.currentToken().isScalarValue()) {
          throw new ConfigException("", SINGLE_VALUE);
        }
        return parse.apply(p.getText(), ctxt);
      }

      @Override
      public T getNullValue(DeserializationContext ctxt) {
        return parse.apply("", ctxt);
      }
    };
  }

  private static Path path(String name, DeserializationContext ctxt) {
    return resolve("", name, (Path) ctxt.getAttribute(WORKING_DIR));
  }

  private static Path resolve(String key, String name, Path dir) {
    if (name == null || name.isBlank()) {
      throw new ConfigException(key, "must name a file or directory");
    }
    try {
      return dir.resolve(name).normalize();
    } catch (InvalidPathException e) {
      throw new ConfigException(key, "is not a valid path: " + e.getMessage());
    }
  }

  private static long wholeNumber(String text) {
    try {
      return Long.parseLong(text.strip().replace("_", ""));
    } catch (NumberFormatException e) {
      throw new ConfigException("", "must be a whole number, was '" + text + "'");
    }
  }

  private static int intNumber(String text) {
    long value = wholeNumber(text);
    if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
      throw new ConfigException("", "is out of range: " + value);
    }
    return (int) value;
  }

  private static boolean bool(String text) {
    return switch (text.strip().toLowerCase(Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default -> throw new ConfigException("", "must be true or false, was '" + text + "'");
    };
  }

  private static String generateToken() {
    byte[] bytes = new byte[32];
    new SecureRandom().nextBytes(bytes);
    return "dgs_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
