package org.docsgen.store.app.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import org.docsgen.store.app.http.json.Json;

/** A failure on stderr under {@code --json}: {@code {"exitCode", "message", "hint"}}. */
record ErrorJson(int exitCode, String message, String hint) {

  static String of(ExitCodes.Failure failure) {
    try {
      return Json.mapper()
          .writeValueAsString(new ErrorJson(failure.code(), failure.message(), failure.hint()));
    } catch (JsonProcessingException e) {
      return "{\"exitCode\":" + failure.code() + "}";
    }
  }
}
