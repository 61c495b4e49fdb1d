package org.docsgen.store.ports.service;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.docsgen.store.domain.approval.ApprovalEvent;
import org.docsgen.store.domain.artifact.ArtifactInfo;
import org.docsgen.store.domain.bundle.BundleEntry;
import org.docsgen.store.domain.execution.PhaseExecution;
import org.docsgen.store.domain.run.RunId;
import org.docsgen.store.ports.bundle.BundleSigner;
import org.docsgen.store.ports.bundle.CanonicalJson;

/**
 * The bundle attestation: a canonical JSON statement of the run, every entry (name, hash, size,
 * source version), the zip (path, hash, size), the final validation execution and the approvals in
 * force, signed with Ed25519 over its UTF-8 bytes. It holds no creation time or actor, so a retried
 * bundle creation over the same inputs produces the same bytes (and, Ed25519 being deterministic,
 * the same signature).
 *
 * <p>The file stored beside the zip is an envelope that carries the statement as a JSON string, so
 * anyone can verify it offline with any JSON parser and the public key: {@code
 * {"algorithm":"Ed25519","attestation":"<statement>","publicKey":"<base64
 * X.509>","signature":"<base64>"}}; the signature covers the UTF-8 bytes of the {@code attestation}
 * string exactly.
 */
final class BundleAttestation {
  static final String FORMAT = "docsgen-bundle-attestation/1";

  private BundleAttestation() {}

  static String statement(
      RunId runId,
      ArtifactInfo zip,
      List<BundleEntry> entries,
      PhaseExecution finalExecution,
      Collection<ApprovalEvent> approvalsInForce) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("format", FORMAT);
    json.put("run", runId.toString());
    json.put("zip", zipJson(zip));
    json.put("entries", entriesJson(entries));
    json.put("finalExecution", executionJson(finalExecution));
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
    json.put("approvals", approvals);
    return CanonicalJson.write(json);
  }

  /** The canonical text of the zip member, as it appears inside a statement. */
  static Map<String, Object> zipJson(ArtifactInfo zip) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("path", zip.path().toString());
    json.put("generation", zip.generation());
    json.put("hash", zip.hash().toString());
    json.put("size", zip.size());
    return json;
  }

  static List<Object> entriesJson(List<BundleEntry> entries) {
    List<Object> list = new ArrayList<>();
    for (BundleEntry e : entries) {
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("name", e.name());
      entry.put("hash", e.hash().toString());
      entry.put("size", e.size());
      if (e.source() == null) {
        entry.put("source", null);
      } else {
        Map<String, Object> source = new LinkedHashMap<>();
        source.put("path", e.source().path().toString());
        source.put("generation", e.source().generation());
        source.put("hash", e.source().hash().toString());
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

  /** The stored attestation file (see the class comment). */
  static String envelope(String statement, String signature, String publicKeyBase64) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("algorithm", BundleSigner.ALGORITHM);
    json.put("attestation", statement);
    json.put("signature", signature);
    json.put("publicKey", publicKeyBase64);
    return CanonicalJson.write(json);
  }
}
