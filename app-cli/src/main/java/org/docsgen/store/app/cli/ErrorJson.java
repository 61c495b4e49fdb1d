package org.docsgen.store.app.cli;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.util.List;
import org.docsgen.store.app.http.json.FailingIssueJson;
import org.docsgen.store.app.http.json.Json;

/**
 * A failure on stderr under {@code --json}: {@code {"exitCode", "message", "hint"}}, and for a gate
 * refusal also {@code missing}, {@code failing} (each open ERROR issue as {@code {rule, file}}) and
 * {@code failingTotal}, as in the HTTP problem.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record ErrorJson(
    int exitCode,
    String message,
    String hint,
    List<String> missing,
    List<FailingIssueJson> failing,
    Long failingTotal) {

  static String of(ExitCodes.Failure failure) {
    try {
      return Json.mapper()
          .writeValueAsString(
              new ErrorJson(
                  failure.code(),
                  failure.message(),
                  failure.hint(),
                  failure.missing(),
                  failure.failing() == null ? null : FailingIssueJson.of(failure.failing()),
                  failure.failing() == null ? null : failure.failing().total()));
    } catch (JsonProcessingException e) {
      return "{\"exitCode\":" + failure.code() + "}";
    }
  }
}
