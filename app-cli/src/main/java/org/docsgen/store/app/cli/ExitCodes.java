package org.docsgen.store.app.cli;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.google.inject.CreationException;
import com.google.inject.ProvisionException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.List;
import org.docsgen.store.app.http.config.ConfigException;
import org.docsgen.store.domain.gate.FailingIssues;
import org.docsgen.store.ports.error.AlreadyExistsException;
import org.docsgen.store.ports.error.BackendUnavailableException;
import org.docsgen.store.ports.error.GateNotPassedException;
import org.docsgen.store.ports.error.ImmutableException;
import org.docsgen.store.ports.error.IntegrityException;
import org.docsgen.store.ports.error.InvalidInputException;
import org.docsgen.store.ports.error.NotFoundException;
import org.docsgen.store.ports.error.RefusedException;
import org.docsgen.store.ports.error.StoreException;

/**
 * The command line's exit codes (ARCHITECTURE.md § Entry points, pinned) and the one place that
 * maps a failure to its code and to a message saying what to fix.
 */
public final class ExitCodes {
  /** Done. */
  public static final int OK = 0;

  /** Refused by a rule: immutability, the gate (and {@code gate} while the gate fails). */
  public static final int REFUSED = 1;

  /** Bad input: bad path, unknown type, malformed JSON, bad arguments, unusable configuration. */
  public static final int BAD_INPUT = 2;

  /** A backend (filesystem, S3, database) failed or could not be reached. */
  public static final int BACKEND = 3;

  /** Content does not match its hash (tampered or rotted), or a bundle does not verify. */
  public static final int INTEGRITY = 4;

  private ExitCodes() {}

  /**
   * A failure as the user sees it: the exit code, what happened and what to do about it; for a gate
   * refusal also the missing core files and the open ERROR issues ({@code null} otherwise).
   */
  public record Failure(
      int code, String message, String hint, List<String> missing, FailingIssues failing) {
    public Failure(int code, String message, String hint) {
      this(code, message, hint, null, null);
    }
  }

  /** Classifies {@code error} (looking through wrappers to its cause). */
  public static Failure classify(Throwable error) {
    Throwable e = unwrap(error);
    if (e instanceof CliException cli) {
      return new Failure(cli.exitCode(), cli.getMessage(), cli.hint());
    }
    if (e instanceof GateNotPassedException gate) {
      return new Failure(
          REFUSED, gate.getMessage(), refusalHint(gate), gate.missing(), gate.failingIssues());
    }
    if (e instanceof RefusedException refused) {
      return new Failure(REFUSED, refused.getMessage(), refusalHint(refused));
    }
    if (e instanceof IntegrityException) {
      return new Failure(
          INTEGRITY,
          e.getMessage(),
          "the stored bytes are damaged: run `docsgen fsck --deep` to list every damaged version;"
              + " restore it from a backup or write the artifact again");
    }
    if (e instanceof BackendUnavailableException down) {
      // the operator runs the CLI on the stores' own machine: the backend's own words (a file
      // path, the database's error) help here, unlike in an HTTP problem
      return new Failure(
          BACKEND,
          down.getMessage() + down.internalDetail().map(d -> " [" + d + "]").orElse(""),
          "check that the backend is running and reachable, and the configuration"
              + " (manifest.url, artifacts.*; see --config / DOCSGEN_* variables)");
    }
    if (e instanceof NotFoundException) {
      return new Failure(BAD_INPUT, e.getMessage(), "check the id or path (`docsgen run list`)");
    }
    if (e instanceof InvalidInputException || e instanceof IllegalArgumentException) {
      // domain grammar errors (InvalidValueException) and value checks of port records
      return new Failure(BAD_INPUT, e.getMessage(), null);
    }
    if (e instanceof ConfigException) {
      return new Failure(
          BAD_INPUT, "configuration error: " + e.getMessage(), "fix that key in the file or env");
    }
    if (e instanceof JacksonException json) {
      return new Failure(BAD_INPUT, "malformed JSON: " + describeJson(json), null);
    }
    if (e instanceof NoSuchFileException
        || e instanceof AccessDeniedException
        || e instanceof NotDirectoryException
        || e instanceof FileAlreadyExistsException) {
      return new Failure(BAD_INPUT, describeFileProblem((IOException) e), null);
    }
    if (e instanceof IOException) {
      return new Failure(BACKEND, "I/O failure: " + e.getMessage(), null);
    }
    return new Failure(
        BACKEND,
        "unexpected failure: " + e,
        "run again with --verbose for the details and report it if it persists");
  }

  /** Looks through wrappers (Guice, unchecked I/O, anything around a port exception). */
  private static Throwable unwrap(Throwable error) {
    Throwable e = error;
    for (int depth = 0; depth < 10; depth++) {
      Throwable next = null;
      if (e instanceof ProvisionException || e instanceof UncheckedIOException) {
        next = e.getCause();
      } else if (e instanceof CreationException creation
          && !creation.getErrorMessages().isEmpty()) {
        next = creation.getErrorMessages().iterator().next().getCause();
      } else if (!(e instanceof StoreException)
          && !(e instanceof CliException)
          && e.getCause() instanceof StoreException) {
        next = e.getCause();
      }
      if (next == null || next == e) {
        return e;
      }
      e = next;
    }
    return e;
  }

  /** Jackson's message without its source description, with the line and column. */
  static String describeJson(JacksonException e) {
    String text =
        String.valueOf(e.getOriginalMessage())
            .replaceAll("\\s*\\(start marker at \\[Source: [^\\]]*\\]\\)", "");
    if (e instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
      StringBuilder where = new StringBuilder();
      for (var ref : mapping.getPath()) {
        where.append(
            ref.getFieldName() != null ? "." + ref.getFieldName() : "[" + ref.getIndex() + "]");
      }
      text = text.replaceAll("\\s*\\(class [^)]*\\)", "") + " at " + where;
    }
    var at = e.getLocation();
    return at == null || at.getLineNr() < 1
        ? text
        : text + " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
  }

  private static String describeFileProblem(IOException e) {
    String what =
        e instanceof NoSuchFileException
            ? "no such file or directory"
            : e instanceof AccessDeniedException
                ? "permission denied"
                : e instanceof NotDirectoryException ? "not a directory" : "already exists";
    return e.getMessage() + ": " + what;
  }

  private static String refusalHint(RefusedException refused) {
    if (refused instanceof ImmutableException) {
      return "artifacts are immutable: write a new path, or re-execute the stage and pass"
          + " --overwrite (or --overwrite-token TOKEN) to `docsgen put`";
    }
    if (refused instanceof AlreadyExistsException) {
      return "drop --create-only to write a new generation through the immutability rules";
    }
    if (refused instanceof GateNotPassedException gate) {
      return "see why with `docsgen gate " + gate.runId() + " final`";
    }
    return switch (refused.code()) {
      case "no-running-execution" ->
          "start one with `docsgen exec start RUN STAGE`, or pass --start";
      case "execution-already-running" ->
          "finish it first (`docsgen exec finish RUN STAGE --status ...`) or drop --start";
      case "execution-not-running" -> "list the stage's executions with `docsgen exec list`";
      default -> null;
    };
  }
}
