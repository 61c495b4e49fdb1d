package org.docsgen.store.app.http.problem;

import java.util.Map;
import java.util.UUID;
import org.docsgen.store.domain.InvalidValueException;
import org.docsgen.store.ports.error.AlreadyExistsException;
import org.docsgen.store.ports.error.BackendUnavailableException;
import org.docsgen.store.ports.error.GateNotPassedException;
import org.docsgen.store.ports.error.ImmutableException;
import org.docsgen.store.ports.error.IntegrityException;
import org.docsgen.store.ports.error.InvalidInputException;
import org.docsgen.store.ports.error.NotFoundException;
import org.docsgen.store.ports.error.PayloadTooLargeException;
import org.docsgen.store.ports.error.RangeNotSatisfiableException;
import org.docsgen.store.ports.error.RefusedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns every exception a route can meet into the problem it answers. Port exceptions map by kind
 * (ARCHITECTURE.md § Status codes); anything unforeseen is a 500 {@code internal-error} whose
 * detail names an incident id that the log line (with the stack trace) carries — the response never
 * does.
 */
public final class ProblemMapper {
  private static final Logger LOG = LoggerFactory.getLogger(ProblemMapper.class);

  /** A problem and the response headers that go with it. */
  public record Answer(Problem problem, Map<String, String> headers) {}

  private ProblemMapper() {}

  public static Answer map(Throwable error) {
    if (error instanceof ApiException api) {
      return new Answer(api.problem(), api.headers());
    }
    if (error instanceof BackendUnavailableException down) {
      // the message is written to be shown; the backend's own words (paths, SQL) are logged only
      LOG.warn(
          "backend unavailable: {}{}",
          down.getMessage(),
          down.internalDetail().map(d -> " [" + d + "]").orElse(""),
          down.getCause());
      return new Answer(
          Problem.of(ProblemType.BACKEND_UNAVAILABLE, down.getMessage()),
          Map.of("Retry-After", "5"));
    }
    return new Answer(problem(error), Map.of());
  }

  private static Problem problem(Throwable error) {
    if (error instanceof ImmutableException refused) {
      ProblemType kind =
          refused.layer() == ImmutableException.Layer.POLICY
              ? ProblemType.IMMUTABLE_POLICY
              : ProblemType.IMMUTABLE_STORE;
      return Problem.builder(kind, refused.getMessage())
          .code(refused.code())
          .path(refused.path().toString())
          .layer(refused.layer().label(), refused.currentHash().map(Object::toString).orElse(null))
          .build();
    }
    if (error instanceof AlreadyExistsException exists) {
      return Problem.builder(ProblemType.PRECONDITION_FAILED, exists.getMessage())
          .code(exists.code())
          .path(exists.path().toString())
          .currentHash(exists.currentHash() == null ? null : exists.currentHash().toString())
          .build();
    }
    if (error instanceof GateNotPassedException gate) {
      return Problem.builder(ProblemType.GATE_NOT_PASSED, gate.getMessage())
          .code(gate.code())
          .gate(gate.missing(), gate.failingIssues())
          .build();
    }
    if (error instanceof RefusedException refused) {
      return refusal(refused);
    }
    if (error instanceof NotFoundException notFound) {
      return Problem.of(ProblemType.NOT_FOUND, notFound.getMessage());
    }
    if (error instanceof PayloadTooLargeException tooLarge) {
      return Problem.builder(ProblemType.PAYLOAD_TOO_LARGE, tooLarge.getMessage())
          .field(tooLarge.field())
          .build();
    }
    if (error instanceof RangeNotSatisfiableException range) {
      return Problem.builder(ProblemType.RANGE_NOT_SATISFIABLE, range.getMessage())
          .field("range")
          .build();
    }
    if (error instanceof InvalidInputException invalid) {
      return invalid(invalid.field(), invalid.getMessage());
    }
    if (error instanceof InvalidValueException invalid) {
      return invalid(invalid.field(), invalid.getMessage());
    }
    if (error instanceof IntegrityException integrity) {
      LOG.error("integrity failure: {}", integrity.getMessage());
      return Problem.builder(ProblemType.INTEGRITY_FAILURE, integrity.getMessage())
          .path(integrity.path().toString())
          .build();
    }
    String incident = UUID.randomUUID().toString();
    LOG.error("unexpected error, incident {}", incident, error);
    return Problem.of(
        ProblemType.INTERNAL_ERROR,
        "unexpected error; incident " + incident + " is recorded in the server log");
  }

  private static Problem refusal(RefusedException refused) {
    if (refused.code().equals(ProblemType.NO_RUNNING_EXECUTION.slug())) {
      return Problem.builder(ProblemType.NO_RUNNING_EXECUTION, refused.getMessage())
          .code(refused.code())
          .build();
    }
    return Problem.builder(ProblemType.REFUSED, refused.getMessage())
        .type(ProblemType.BASE + refused.code(), ProblemType.REFUSED.title())
        .code(refused.code())
        .build();
  }

  /** A 400 for input named {@code field}: artifact paths have their own kind. */
  public static Problem invalid(String field, String detail) {
    ProblemType kind =
        switch (field) {
          case "path", "file" -> ProblemType.INVALID_PATH;
          case "body" -> ProblemType.INVALID_BODY;
          default -> ProblemType.INVALID_PARAMETER;
        };
    return Problem.builder(kind, detail).field(field).build();
  }
}
