package org.docsgen.store.app.http.routes;

import org.docsgen.store.app.http.problem.ApiException;
import org.docsgen.store.app.http.problem.Problem;
import org.docsgen.store.app.http.problem.ProblemType;
import org.docsgen.store.domain.InvalidValueException;

/**
 * Request values the domain validates, turned into the problem that names the input at fault: path
 * and query parameters are {@code invalid-parameter}, artifact paths {@code invalid-path}, fields
 * of a JSON body {@code invalid-body}.
 */
public final class Params {
  private Params() {}

  /** Parses a value the domain validates; its refusal becomes a 400 naming {@code field}. */
  public static <T> T parse(String field, java.util.function.Supplier<T> parser) {
    try {
      return parser.get();
    } catch (InvalidValueException e) {
      throw new ApiException(problemFor(field, e.getMessage()));
    }
  }

  /**
   * Like {@link #parse} for a value taken from the JSON body: its refusal is an {@code
   * invalid-body} problem naming the field (paths keep their own kind, {@code invalid-path}).
   */
  public static <T> T parseBody(String field, java.util.function.Supplier<T> parser) {
    try {
      return parser.get();
    } catch (InvalidValueException e) {
      boolean isPath = field.endsWith("path") || field.endsWith("file");
      ProblemType kind = isPath ? ProblemType.INVALID_PATH : ProblemType.INVALID_BODY;
      throw new ApiException(Problem.builder(kind, e.getMessage()).field(field).build());
    }
  }

  private static Problem problemFor(String field, String detail) {
    ProblemType kind =
        field.equals("path") || field.equals("file")
            ? ProblemType.INVALID_PATH
            : field.equals("body") || field.startsWith("body.")
                ? ProblemType.INVALID_BODY
                : ProblemType.INVALID_PARAMETER;
    return Problem.builder(kind, detail).field(field).build();
  }

  public static int positiveInt(String field, String text) {
    if (text == null || !text.matches("[1-9][0-9]{0,8}")) {
      throw ApiException.badParameter(
          field, field + " must be a positive whole number, was '" + printable(text) + "'");
    }
    return Integer.parseInt(text);
  }

  public static String printable(String text) {
    if (text == null) {
      return "";
    }
    String cut = text.length() > 80 ? text.substring(0, 80) + "..." : text;
    return cut.replaceAll("\\p{Cntrl}", "?");
  }
}
