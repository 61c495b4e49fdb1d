package org.docsgen.store.app.http.json;

import java.time.Instant;
import java.util.List;
import org.docsgen.store.domain.bundle.BundleEntry;
import org.docsgen.store.domain.bundle.BundleRecord;

/**
 * A run's bundle record: the zip's version and size, every entry with its hash and the artifact
 * version it came from, the final execution it was gated on ({@code final@N}), and the attestation:
 * the in-toto Statement exactly as signed (canonical JSON text, the DSSE payload) with its base64
 * Ed25519 DSSE signature. The envelope itself is served by {@code GET …/bundle/attestation}.
 */
public record BundleJson(
    String runId,
    VersionJson zip,
    long size,
    List<Entry> entries,
    String finalExecution,
    String createdBy,
    Instant createdAt,
    String attestation,
    String signature) {

  /** One zip entry; {@code source} is null for the generated README. */
  public record Entry(String name, String hash, long size, VersionJson source) {
    static Entry of(BundleEntry entry) {
      return new Entry(
          entry.name(), entry.hash().toString(), entry.size(), VersionJson.of(entry.source()));
    }
  }

  public static BundleJson of(BundleRecord bundle) {
    return bundle == null
        ? null
        : new BundleJson(
            bundle.runId().toString(),
            VersionJson.of(bundle.zip()),
            bundle.zipSize(),
            bundle.entries().stream().map(Entry::of).toList(),
            bundle.finalExecution().toString(),
            bundle.createdBy(),
            bundle.createdAt(),
            bundle.attestation(),
            bundle.signature());
  }
}
