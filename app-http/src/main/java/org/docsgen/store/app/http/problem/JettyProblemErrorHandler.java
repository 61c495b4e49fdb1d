package org.docsgen.store.app.http.problem;

import java.io.IOException;
import java.nio.ByteBuffer;
import org.docsgen.store.app.http.json.Json;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Errors Jetty answers before a request reaches the routes (a request line it refuses, such as an
 * ambiguous {@code %2F} or {@code %2e%2e} in the path, or a header too large) are problem documents
 * too, never an HTML page and never a stack trace, whatever the method.
 */
public final class JettyProblemErrorHandler extends ErrorHandler {
  public JettyProblemErrorHandler() {
    setShowStacks(false);
    setShowCauses(false);
  }

  /**
   * Every method gets its problem document: Jetty's default writes a body only for GET, POST and
   * HEAD, so a PUT it refused before routing (bad UTF-8 in the path, a header too large) was a bare
   * 400 with no content type.
   */
  @Override
  public boolean errorPageForMethod(String method) {
    return true;
  }

  @Override
  protected void generateResponse(
      Request request,
      Response response,
      int code,
      String message,
      Throwable cause,
      Callback callback)
      throws IOException {
    byte[] body = body(code, message);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, Problem.MEDIA_TYPE);
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
    response.write(true, ByteBuffer.wrap(body), callback);
  }

  @Override
  public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
    fields.put(new HttpField(HttpHeader.CONTENT_TYPE, Problem.MEDIA_TYPE));
    return ByteBuffer.wrap(body(status, reason));
  }

  private static byte[] body(int code, String message) {
    ProblemType kind = kindOf(code);
    String detail =
        message == null || message.isBlank()
            ? "the server refused the request before routing it"
            : message.replaceAll("[\\p{Cntrl}<>]", "?");
    Problem problem =
        new Problem(
            kind.uri(),
            kind.title(),
            code,
            detail,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null);
    try {
      return Json.mapper().writeValueAsBytes(problem);
    } catch (IOException e) {
      return ("{\"status\":" + code + "}").getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }
  }

  private static ProblemType kindOf(int code) {
    for (ProblemType kind : ProblemType.values()) {
      if (kind.status() == code
          && kind != ProblemType.INVALID_PATH
          && kind != ProblemType.INVALID_BODY
          && kind != ProblemType.INVALID_PARAMETER) {
        return kind;
      }
    }
    return code >= 500 ? ProblemType.INTERNAL_ERROR : ProblemType.BAD_REQUEST;
  }
}
