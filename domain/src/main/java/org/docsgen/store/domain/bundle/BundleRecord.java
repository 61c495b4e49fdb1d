package org.docsgen.store.domain.bundle;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.List;
import org.docsgen.store.domain.artifact.ArtifactVersion;
import org.docsgen.store.domain.execution.ExecutionRef;
import org.docsgen.store.domain.run.RunId;

/**
 * The manifest's proof of a bundle: the zip's version, every entry's hash, the final validation
 * execution it was gated on, and the signed attestation: {@code attestation} is the in-toto
 * Statement (canonical JSON text, the DSSE payload) and {@code signature} the base64 Ed25519 DSSE
 * signature over its pre-authentication encoding. One per run; immutable.
 */
public record BundleRecord(
    RunId runId,
    ArtifactVersion zip,
    long zipSize,
    List<BundleEntry> entries,
    ExecutionRef finalExecution,
    String createdBy,
    Instant createdAt,
    String attestation,
    String signature) {
  public BundleRecord {
    requireNonNull(runId, "runId is null");
    requireNonNull(zip, "zip is null");
    requireNonNull(finalExecution, "finalExecution is null");
    requireNonNull(createdBy, "createdBy is null");
    requireNonNull(createdAt, "createdAt is null");
    requireNonNull(attestation, "attestation is null");
    requireNonNull(signature, "signature is null");
    entries = List.copyOf(requireNonNull(entries, "entries is null"));
  }
}
