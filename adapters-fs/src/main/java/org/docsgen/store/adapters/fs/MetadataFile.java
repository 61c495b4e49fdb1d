package org.docsgen.store.adapters.fs;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.io.StringReader;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import org.docsgen.store.domain.artifact.ArtifactInfo;
import org.docsgen.store.domain.artifact.ArtifactType;
import org.docsgen.store.domain.artifact.ContentHash;
import org.docsgen.store.domain.artifact.LogicalPath;
import org.docsgen.store.ports.error.IntegrityException;

/**
 * The {@code meta.properties} file beside each generation's {@code content}: UTF-8 Java properties
 * in a fixed key order, readable by {@link Properties#load(java.io.Reader)} and by people:
 *
 * <pre>
 * format=docsgen-fs-artifact/1
 * path=run_2026_11_28_0001/phase1/docsgen.md
 * generation=1
 * type=DOCUMENTATION
 * mediaType=text/markdown; charset=utf-8
 * createdBy=orchestrator
 * createdAt=2026-11-28T10:00:00Z
 * size=10
 * hash=sha256:…
 * </pre>
 */
final class MetadataFile {
  static final String FORMAT = "docsgen-fs-artifact/1";

  private MetadataFile() {}

  static byte[] encode(ArtifactInfo info) {
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put("format", FORMAT);
    fields.put("path", info.path().toString());
    fields.put("generation", Integer.toString(info.generation()));
    fields.put("type", info.type().name());
    fields.put("mediaType", info.mediaType());
    fields.put("createdBy", info.createdBy());
    fields.put("createdAt", info.createdAt().toString());
    fields.put("size", Long.toString(info.size()));
    fields.put("hash", info.hash().toString());
    StringBuilder out = new StringBuilder(512);
    fields.forEach((key, value) -> out.append(key).append('=').append(escape(value)).append('\n'));
    return out.toString().getBytes(UTF_8);
  }

  /**
   * Parses a generation's metadata, checking it describes {@code path} at {@code generation}.
   *
   * @throws IntegrityException unreadable, incomplete, or describing another version
   */
  static ArtifactInfo decode(byte[] bytes, LogicalPath path, int generation) {
    Properties p = new Properties();
    try {
      p.load(new StringReader(new String(bytes, UTF_8)));
    } catch (IOException | IllegalArgumentException e) {
      throw unreadable(path, generation, e.getMessage());
    }
    if (!FORMAT.equals(p.getProperty("format"))) {
      throw unreadable(path, generation, "format is not " + FORMAT);
    }
    if (!path.toString().equals(p.getProperty("path"))
        || !Integer.toString(generation).equals(p.getProperty("generation"))) {
      throw unreadable(
          path,
          generation,
          "it describes " + p.getProperty("path") + " generation " + p.getProperty("generation"));
    }
    try {
      return new ArtifactInfo(
          path,
          ArtifactType.parse(required(p, "type")),
          ContentHash.parse(required(p, "hash")),
          Long.parseLong(required(p, "size")),
          required(p, "mediaType"),
          required(p, "createdBy"),
          Instant.parse(required(p, "createdAt")),
          generation);
    } catch (IllegalArgumentException | DateTimeParseException e) {
      throw unreadable(path, generation, e.getMessage());
    }
  }

  private static String required(Properties p, String key) {
    String value = p.getProperty(key);
    if (value == null) {
      throw new IllegalArgumentException("'" + key + "' is missing");
    }
    return value;
  }

  private static IntegrityException unreadable(LogicalPath path, int generation, String why) {
    return new IntegrityException(
        path, "the metadata of generation " + generation + " is unusable: " + why);
  }

  /**
   * Escapes a value so {@link Properties} reads it back exactly: backslashes, line breaks, control
   * characters and a leading space are escaped; everything else stays readable UTF-8.
   */
  static String escape(String value) {
    StringBuilder out = new StringBuilder(value.length() + 8);
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        case '\f' -> out.append("\\f");
        case ' ' -> out.append(i == 0 ? "\\ " : " ");
        default -> {
          if (c < 0x20 || c == 0x7f) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.toString();
  }
}
