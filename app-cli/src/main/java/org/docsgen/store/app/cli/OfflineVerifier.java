package org.docsgen.store.app.cli;

import static java.nio.charset.StandardCharsets.US_ASCII;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.docsgen.store.app.http.json.Json;
import org.docsgen.store.domain.bundle.BundlePlanner;
import org.docsgen.store.ports.bundle.BundleSigner;
import org.docsgen.store.ports.bundle.BundleZipReader;
import org.docsgen.store.ports.bundle.BundleZipWriter.WrittenEntry;
import org.docsgen.store.ports.bundle.Dsse;
import org.docsgen.store.ports.bundle.InTotoStatement;
import org.docsgen.store.ports.bundle.VerificationChecks;
import org.docsgen.store.ports.stream.DigestingInputStream;

/**
 * Verifies a bundle from three files and nothing else (no configuration, store or server): the zip,
 * its DSSE envelope and the public key the verifier trusts. Valid when a signature of the envelope
 * carries the key's id and verifies with the key over the DSSE pre-authentication encoding (other
 * signatures are ignored, never trusted); the payload is an in-toto Statement v1 of predicate type
 * {@value InTotoStatement#PREDICATE_TYPE}; the subject named {@value BundlePlanner#BUNDLE_NAME} has
 * the zip's SHA-256; and the other subjects are exactly the zip's entries, each with the SHA-256 of
 * the entry's bytes read from the zip. Unreadable input (a missing file, a key that is not an
 * Ed25519 PEM public key, an envelope that is not DSSE JSON, a file that is not a zip) is {@link
 * CliException#badInput}; every mismatch is a named {@code FAIL} line of the result.
 */
final class OfflineVerifier {
  private static final long MAX_ENVELOPE_BYTES = 16L * 1024 * 1024;
  private static final long MAX_KEY_BYTES = 64L * 1024;

  private OfflineVerifier() {}

  /** What the verification found; {@code proved} is the statement's predicate when valid. */
  record Result(
      boolean valid, String keyId, List<String> problems, JsonNode predicate, ObjectNode json) {}

  static Result verify(Path zip, Path attestation, Path publicKeyPem) {
    PublicKey key = readKey(publicKeyPem);
    JsonNode envelope = readEnvelope(attestation);
    String zipHash = sha256(zip);
    List<WrittenEntry> entries;
    try {
      entries = BundleZipReader.entries(zip);
    } catch (IOException e) {
      throw CliException.badInput(zip + " is not a readable zip: " + e.getMessage());
    }
    VerificationChecks checks = new VerificationChecks();
    String keyId = BundleSigner.keyId(key);
    String payloadType = envelope.path("payloadType").asText();
    checks.check(
        Dsse.IN_TOTO_PAYLOAD_TYPE.equals(payloadType),
        "payloadType is " + Dsse.IN_TOTO_PAYLOAD_TYPE,
        "it is '" + payloadType + "'");
    byte[] payload;
    try {
      payload = Base64.getDecoder().decode(envelope.path("payload").asText());
    } catch (IllegalArgumentException e) {
      checks.check(false, "payload is base64", e.getMessage());
      return result(checks, keyId, null);
    }
    checkSignatures(envelope, key, keyId, Dsse.pae(payloadType, payload), checks);
    JsonNode statement;
    try {
      statement = Json.mapper().readTree(payload);
    } catch (IOException e) {
      checks.check(false, "payload is an in-toto statement", "it is not JSON");
      return result(checks, keyId, null);
    }
    checks.check(
        statement.isObject()
            && InTotoStatement.STATEMENT_TYPE.equals(statement.path("_type").asText()),
        "payload is an in-toto Statement v1",
        "its _type is '" + statement.path("_type").asText() + "'");
    checks.check(
        InTotoStatement.PREDICATE_TYPE.equals(statement.path("predicateType").asText()),
        "predicateType is " + InTotoStatement.PREDICATE_TYPE,
        "it is '" + statement.path("predicateType").asText() + "'");
    checkSubjects(statement.path("subject"), zipHash, entries, checks);
    return result(checks, keyId, statement.path("predicate"));
  }

  private static void checkSignatures(
      JsonNode envelope, PublicKey key, String keyId, byte[] pae, VerificationChecks checks) {
    List<String> seen = new ArrayList<>();
    boolean verified = false;
    JsonNode signatures = envelope.path("signatures");
    for (int i = 0; i < signatures.size(); i++) {
      JsonNode signature = signatures.get(i);
      String id = signature.path("keyid").asText("");
      boolean good = BundleSigner.verify(key, pae, signature.path("sig").asText(""));
      if (good && id.equals(keyId)) {
        verified = true;
      } else if (good) {
        seen.add("signature " + (i + 1) + " is by the key but names keyid '" + id + "'");
      } else if (id.equals(keyId)) {
        seen.add("signature " + (i + 1) + " names the key's keyid but does not verify");
      } else {
        seen.add("signature " + (i + 1) + " is by another key (keyid '" + id + "'), ignored");
      }
    }
    checks.check(
        verified,
        "signature by keyid " + keyId + " verifies over the DSSE PAE",
        "no signature by the given key verifies"
            + (seen.isEmpty() ? "" : " (" + String.join("; ", seen) + ")"));
  }

  private static void checkSubjects(
      JsonNode subjects, String zipHash, List<WrittenEntry> entries, VerificationChecks checks) {
    Map<String, String> stated = new LinkedHashMap<>();
    if (!subjects.isArray() || subjects.isEmpty()) {
      checks.check(false, "statement lists its subjects", "it has no subject list");
      return;
    }
    for (JsonNode subject : subjects) {
      String name = subject.path("name").asText(null);
      String digest = subject.path("digest").path("sha256").asText(null);
      if (name == null || digest == null) {
        checks.check(
            false, "every subject has a name and digest.sha256", "one has not: " + subject);
      } else if (stated.put(name, digest) != null) {
        checks.check(false, "subject names are unique", "'" + name + "' is listed twice");
      }
    }
    String zipDigest = stated.remove(BundlePlanner.BUNDLE_NAME);
    String what = "zip " + BundlePlanner.BUNDLE_NAME + " sha256 " + zipHash;
    checks.check(
        zipHash.equals(zipDigest),
        what,
        zipDigest == null
            ? "the statement has no subject named " + BundlePlanner.BUNDLE_NAME
            : "the statement says " + zipDigest);
    Map<String, WrittenEntry> inZip = new LinkedHashMap<>();
    for (WrittenEntry entry : entries) {
      if (inZip.put(entry.name(), entry) != null) {
        checks.check(false, "zip entry names are unique", "'" + entry.name() + "' is twice");
      }
    }
    for (WrittenEntry entry : inZip.values()) {
      String digest = stated.remove(entry.name());
      String entryWhat = "entry " + entry.name() + " sha256 " + entry.hash().hex();
      checks.check(
          entry.hash().hex().equals(digest),
          entryWhat,
          digest == null
              ? "the zip holds it but the statement has no such subject"
              : "the statement says " + digest);
    }
    for (String extra : stated.keySet()) {
      checks.check(
          false, "subject " + extra + " is in the zip", "the statement lists it, the zip has none");
    }
  }

  private static PublicKey readKey(Path pem) {
    try {
      if (Files.size(pem) > MAX_KEY_BYTES) {
        throw CliException.badInput(pem + " is too large to be a PEM public key");
      }
      return BundleSigner.publicKeyFromPem(Files.readString(pem, US_ASCII));
    } catch (IOException e) {
      throw CliException.badInput("cannot read the public key " + pem + ": " + describe(e));
    } catch (IllegalArgumentException e) {
      throw CliException.badInput(
          pem
              + " is not an Ed25519 public key in PEM (as `docsgen keys` prints it): it "
              + e.getMessage());
    }
  }

  private static JsonNode readEnvelope(Path file) {
    JsonNode envelope;
    try {
      if (Files.size(file) > MAX_ENVELOPE_BYTES) {
        throw CliException.badInput(file + " is too large to be a bundle attestation");
      }
      envelope =
          Json.mapper()
              .reader()
              .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
              .readTree(Files.readAllBytes(file));
    } catch (JacksonException e) {
      throw CliException.badInput(
          file + " is not a DSSE envelope: malformed JSON: " + ExitCodes.describeJson(e));
    } catch (IOException e) {
      throw CliException.badInput("cannot read the attestation " + file + ": " + describe(e));
    }
    if (envelope == null
        || !envelope.isObject()
        || !envelope.path("payloadType").isTextual()
        || !envelope.path("payload").isTextual()
        || !(envelope.path("signatures") instanceof ArrayNode signatures)
        || signatures.isEmpty()) {
      throw CliException.badInput(
          file
              + " is not a DSSE envelope: expected one JSON object with payloadType, payload and"
              + " a non-empty signatures list");
    }
    return envelope;
  }

  private static String sha256(Path file) {
    try (DigestingInputStream in = new DigestingInputStream(Files.newInputStream(file))) {
      byte[] buffer = new byte[64 * 1024];
      while (in.read(buffer) >= 0) {
        // hashing while reading
      }
      return in.hash().hex();
    } catch (IOException e) {
      throw CliException.badInput("cannot read the bundle " + file + ": " + describe(e));
    }
  }

  private static String describe(IOException e) {
    return e instanceof java.nio.file.NoSuchFileException
        ? "no such file"
        : e instanceof java.nio.file.AccessDeniedException ? "permission denied" : e.toString();
  }

  /** The result of {@code checks}; the statement's predicate is reported only when valid. */
  private static Result result(VerificationChecks checks, String keyId, JsonNode predicate) {
    List<String> lines = checks.lines();
    boolean valid = checks.valid();
    ObjectNode json = Json.mapper().createObjectNode();
    json.put("valid", valid);
    json.put("keyid", keyId);
    if (valid && predicate != null) {
      json.put("runId", predicate.path("runId").asText());
      json.set("bundle", predicate.path("bundle"));
      json.set("entries", predicate.path("entries"));
      json.set("finalExecution", predicate.path("finalExecution"));
      json.set("approvals", predicate.path("approvals"));
    }
    json.set("problems", Json.mapper().valueToTree(lines));
    return new Result(valid, keyId, lines, valid ? predicate : null, json);
  }
}
