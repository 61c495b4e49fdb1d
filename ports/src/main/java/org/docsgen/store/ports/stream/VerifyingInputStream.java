package org.docsgen.store.ports.stream;

import static java.util.Objects.requireNonNull;

import java.io.InputStream;
import java.security.MessageDigest;
import org.docsgen.store.domain.artifact.ArtifactInfo;
import org.docsgen.store.domain.artifact.ContentHash;
import org.docsgen.store.ports.error.IntegrityException;

/**
 * Hashes a whole-content read as it is consumed and, at end of stream, throws {@link
 * IntegrityException} if the bytes (or their count) differ from what {@code info} records. A reader
 * therefore never takes tampered or rotted content for data.
 */
public final class VerifyingInputStream extends PassThroughInputStream {
  private final ArtifactInfo info;
  private final MessageDigest digest = ContentHash.newDigest();
  private boolean checked;

  public VerifyingInputStream(InputStream in, ArtifactInfo info) {
    super(in, "a verifying stream must read every byte");
    this.info = requireNonNull(info, "info is null");
  }

  @Override
  protected void onBytes(byte[] buffer, int offset, int length) {
    digest.update(buffer, offset, length);
  }

  @Override
  protected void onEnd() {
    if (checked) {
      return;
    }
    checked = true;
    ContentHash actual = ContentHash.ofDigest(digest.digest());
    if (count() != info.size() || !actual.equals(info.hash())) {
      throw IntegrityException.mismatch(info.path(), info.generation(), info.hash(), actual);
    }
  }
}
