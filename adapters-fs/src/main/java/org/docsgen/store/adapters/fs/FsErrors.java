package org.docsgen.store.adapters.fs;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.Locale;
import org.docsgen.store.domain.artifact.LogicalPath;
import org.docsgen.store.ports.error.BackendUnavailableException;
import org.docsgen.store.ports.error.IntegrityException;
import org.docsgen.store.ports.error.InvalidInputException;
import org.docsgen.store.ports.error.PayloadTooLargeException;
import org.docsgen.store.ports.error.StoreException;
import org.docsgen.store.ports.stream.DigestingInputStream;

/**
 * The one place where filesystem {@link IOException}s become port exceptions, plus the refusals the
 * layout checks raise. Messages name the logical path (or what was being done), never the server's
 * absolute directories.
 */
final class FsErrors {
  static final String BACKEND = "fs";

  private FsErrors() {}

  /**
   * Translates an {@link IOException} raised while doing {@code action} (which names the logical
   * path, e.g. "writing run_…/phase1/a.md").
   */
  static StoreException translate(IOException e, String action) {
    if (e instanceof ContentSourceException source) {
      if (source.getCause() instanceof DigestingInputStream.SizeLimitExceededIOException tooBig) {
        return new PayloadTooLargeException("the content of " + action, tooBig.limit());
      }
      return new InvalidInputException(
          "body", action + " failed: the content could not be read: " + reason(source.getCause()));
    }
    if (e instanceof DigestingInputStream.SizeLimitExceededIOException tooBig) {
      return new PayloadTooLargeException("the content of " + action, tooBig.limit());
    }
    String reason = reason(e);
    String lower = reason.toLowerCase(Locale.ROOT);
    if (lower.contains("no space left on device") || lower.contains("disk quota exceeded")) {
      return down(
          action
              + " failed: no space left on the artifact root's device; free space there (or raise"
              + " the quota), then retry",
          e);
    }
    if (lower.contains("read-only file system")) {
      return down(
          action
              + " failed: the artifact root is on a read-only file system; make it writable, then"
              + " retry",
          e);
    }
    if (e instanceof AccessDeniedException) {
      return down(
          action
              + " failed: permission denied inside the artifact root; give the server's user"
              + " access to artifacts.fs.root, then retry",
          e);
    }
    if (e instanceof NoSuchFileException || e instanceof NotDirectoryException) {
      return down(
          action
              + " failed: a directory of the artifact root is missing; check that artifacts.fs.root"
              + " is mounted and complete (fsck), then retry",
          e);
    }
    return down(
        action
            + " failed: the file system reported an I/O error; check the disk under"
            + " artifacts.fs.root (the server log has the error), then retry",
        e);
  }

  /**
   * A failure whose message (shown to clients) says what to do, with the vendor's text, which may
   * name absolute paths, kept as the internal detail for the log.
   */
  private static BackendUnavailableException down(String message, IOException e) {
    return new BackendUnavailableException(BACKEND, message, e.toString(), e);
  }

  /**
   * The refusal when a directory or file the layout expects is a symbolic link (or not the kind of
   * entry the layout puts there): the store never follows links inside its root, since one could
   * lead outside it.
   */
  static IntegrityException notFollowed(LogicalPath path, String relativeEntry, String what) {
    return new IntegrityException(
        path,
        "refused: '"
            + relativeEntry
            + "' inside the artifact root is "
            + what
            + "; the filesystem store never follows links or foreign entries in its layout (they"
            + " could lead outside the root)");
  }

  private static String reason(Throwable e) {
    if (e instanceof FileSystemException fse && fse.getReason() != null) {
      return fse.getReason();
    }
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }

  /** Marks an {@link IOException} thrown by the caller's content stream (not by the disk). */
  static final class ContentSourceException extends IOException {
    ContentSourceException(IOException cause) {
      super(cause.getMessage(), cause);
    }
  }
}
