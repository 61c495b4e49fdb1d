package org.docsgen.store.adapters.s3;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.docsgen.store.domain.artifact.ArtifactInfo;
import org.docsgen.store.domain.artifact.ArtifactType;
import org.docsgen.store.domain.artifact.ContentHash;
import org.docsgen.store.domain.artifact.LogicalPath;
import org.docsgen.store.ports.error.IntegrityException;

/**
 * What a content object's user metadata and a claim's body both record: the version's {@link
 * ArtifactInfo} and a random id of the write that made it (so a writer recognises its own claim
 * after an SDK retry). Values are URL-encoded, so user metadata stays ASCII.
 */
record VersionRecord(ArtifactInfo info, String writer) {
  static final String GENERATION = "docsgen-generation";
  static final String SHA256 = "docsgen-sha256";
  static final String SIZE = "docsgen-size";
  static final String TYPE = "docsgen-type";
  static final String MEDIA_TYPE = "docsgen-media-type";
  static final String CREATED_BY = "docsgen-created-by";
  static final String CREATED_AT = "docsgen-created-at";
  static final String WRITER = "docsgen-writer";

  VersionRecord {
    requireNonNull(info, "info is null");
    requireNonNull(writer, "writer is null");
  }

  /** User metadata (names without {@code x-amz-meta-}). */
  Map<String, String> toMetadata() {
    Map<String, String> map = new LinkedHashMap<>();
    map.put(GENERATION, Integer.toString(info.generation()));
    map.put(SHA256, info.hash().hex());
    map.put(SIZE, Long.toString(info.size()));
    map.put(TYPE, info.type().name());
    map.put(MEDIA_TYPE, encode(info.mediaType()));
    map.put(CREATED_BY, encode(info.createdBy()));
    map.put(CREATED_AT, info.createdAt().toString());
    map.put(WRITER, encode(writer));
    return map;
  }

  /** Reads user metadata as the SDK returns it (lower-case names). */
  static VersionRecord fromMetadata(LogicalPath path, Map<String, String> metadata) {
    try {
      ArtifactInfo info =
          new ArtifactInfo(
              path,
              ArtifactType.parse(required(metadata, TYPE)),
              new ContentHash(required(metadata, SHA256)),
              Long.parseLong(required(metadata, SIZE)),
              decode(required(metadata, MEDIA_TYPE)),
              decode(required(metadata, CREATED_BY)),
              Instant.parse(required(metadata, CREATED_AT)),
              Integer.parseInt(required(metadata, GENERATION)));
      return new VersionRecord(info, decode(metadata.getOrDefault(WRITER, "")));
    } catch (RuntimeException e) {
      throw new IntegrityException(
          path, "the S3 object's docsgen metadata is missing or malformed: " + e.getMessage());
    }
  }

  /** A claim's body: {@code name=value} lines of the same fields. */
  byte[] toClaimBody() {
    StringBuilder body = new StringBuilder();
    toMetadata().forEach((k, v) -> body.append(k).append('=').append(v).append('\n'));
    return body.toString().getBytes(UTF_8);
  }

  static VersionRecord fromClaimBody(LogicalPath path, byte[] body) {
    Map<String, String> map = new LinkedHashMap<>();
    for (String line : new String(body, UTF_8).split("\n")) {
      int eq = line.indexOf('=');
      if (eq > 0) {
        map.put(line.substring(0, eq), line.substring(eq + 1));
      }
    }
    return fromMetadata(path, map);
  }

  private static String required(Map<String, String> map, String name) {
    String value = map.get(name);
    if (value == null) {
      throw new IllegalArgumentException(name + " is missing");
    }
    return value;
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, UTF_8);
  }

  private static String decode(String value) {
    return URLDecoder.decode(value, UTF_8);
  }
}
