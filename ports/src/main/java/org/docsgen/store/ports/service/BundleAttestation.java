package org.docsgen.store.ports.service;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.docsgen.store.domain.approval.ApprovalEvent;
import org.docsgen.store.domain.artifact.ArtifactInfo;
import org.docsgen.store.domain.artifact.ContentHash;
import org.docsgen.store.domain.bundle.BundleEntry;
import org.docsgen.store.domain.bundle.BundlePlanner;
import org.docsgen.store.domain.execution.PhaseExecution;
import org.docsgen.store.domain.run.RunId;
import org.docsgen.store.ports.bundle.CanonicalJson;
import org.docsgen.store.ports.bundle.Dsse;
import org.docsgen.store.ports.bundle.InTotoStatement;

/**
 * The bundle attestation: an in-toto Statement v1 in canonical JSON ({@link CanonicalJson}: sorted
 * keys, no whitespace) whose {@code subject} lists the zip (named by its file name) and then every
 * entry (named by its entry name), each with {@code digest.sha256}; whose {@code predicateType} is
 * {@value InTotoStatement#PREDICATE_TYPE}; and whose {@code predicate} holds the run id, the zip's
 * store version and size, every entry's size and source version (path, generation; null for the
 * generated README), the final validation execution and the approvals in force. It holds no
 * creation time or actor, so a retried bundle creation over the same inputs produces the same bytes
 * (and, Ed25519 being deterministic, the same signature). It is signed in a DSSE envelope ({@link
 * Dsse}).
 */
final class BundleAttestation {
  private BundleAttestation() {}

  static String statement(
      RunId runId,
      ArtifactInfo zip,
      List<BundleEntry> entries,
      PhaseExecution finalExecution,
      Collection<ApprovalEvent> approvalsInForce) {
    Map<String, Object> predicate = new LinkedHashMap<>();
    predicate.put("runId", runId.toString());
    Map<String, Object> bundle = new LinkedHashMap<>();
    bundle.put("path", zip.path().toString());
    bundle.put("generation", zip.generation());
    bundle.put("size", zip.size());
    predicate.put("bundle", bundle);
    predicate.put("entries", entriesJson(entries));
    predicate.put("finalExecution", executionJson(finalExecution));
    List<Object> approvals = new ArrayList<>();
    for (ApprovalEvent a : approvalsInForce) {
      Map<String, Object> approval = new LinkedHashMap<>();
      approval.put("stage", a.stage().toString());
      approval.put("decision", a.decision().name());
      approval.put("actor", a.actor());
      approval.put("comment", a.comment());
      approval.put("at", a.at().toString());
      approval.put("contentDigest", a.contentDigest().toString());
      approvals.add(approval);
    }
    predicate.put("approvals", approvals);
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("_type", InTotoStatement.STATEMENT_TYPE);
    json.put("subject", subjects(zip.hash(), entries));
    json.put("predicateType", InTotoStatement.PREDICATE_TYPE);
    json.put("predicate", predicate);
    return CanonicalJson.write(json);
  }

  /** The zip first (named by its file name), then every entry in zip order. */
  static List<Object> subjects(ContentHash zipHash, List<BundleEntry> entries) {
    List<Object> subjects = new ArrayList<>();
    subjects.add(subject(BundlePlanner.BUNDLE_NAME, zipHash));
    for (BundleEntry e : entries) {
      subjects.add(subject(e.name(), e.hash()));
    }
    return subjects;
  }

  private static Map<String, Object> subject(String name, ContentHash hash) {
    Map<String, Object> subject = new LinkedHashMap<>();
    subject.put("name", name);
    subject.put("digest", Map.of("sha256", hash.hex()));
    return subject;
  }

  private static List<Object> entriesJson(List<BundleEntry> entries) {
    List<Object> list = new ArrayList<>();
    for (BundleEntry e : entries) {
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("name", e.name());
      entry.put("size", e.size());
      if (e.source() == null) {
        entry.put("source", null);
      } else {
        Map<String, Object> source = new LinkedHashMap<>();
        source.put("path", e.source().path().toString());
        source.put("generation", e.source().generation());
        entry.put("source", source);
      }
      list.add(entry);
    }
    return list;
  }

  private static Map<String, Object> executionJson(PhaseExecution e) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("stage", e.stage().toString());
    json.put("attempt", e.attempt());
    json.put("status", e.status().name());
    json.put("executor", e.executor());
    json.put("startedAt", e.startedAt().toString());
    json.put("finishedAt", e.finishedAt() == null ? null : e.finishedAt().toString());
    return json;
  }

  /** The stored file: the DSSE envelope on one line, then a newline (in-toto JSON Lines). */
  static byte[] storedEnvelope(String statement, String keyId, String signature) {
    return (Dsse.envelope(Dsse.IN_TOTO_PAYLOAD_TYPE, statement.getBytes(UTF_8), keyId, signature)
            + "\n")
        .getBytes(UTF_8);
  }

  /** The bytes the envelope's signature covers. */
  static byte[] signedBytes(String statement) {
    return Dsse.pae(Dsse.IN_TOTO_PAYLOAD_TYPE, statement.getBytes(UTF_8));
  }
}
