package org.docsgen.store.app.http.routes;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import org.docsgen.store.app.http.auth.Access;

/**
 * One route of the API: the single source for routing, authorisation, the role matrix test and the
 * OpenAPI document. {@code path} uses Javalin's template syntax ({@code {name}} for one segment,
 * {@code <name>} for the rest of the path, slashes included).
 */
public record Route(
    Method method,
    String path,
    Access access,
    String operationId,
    String summary,
    String tag,
    List<Param> params,
    Body request,
    List<Reply> replies,
    RouteHandler handler) {

  public Route {
    requireNonNull(method, "method is null");
    requireNonNull(path, "path is null");
    requireNonNull(access, "access is null");
    requireNonNull(operationId, "operationId is null");
    requireNonNull(summary, "summary is null");
    requireNonNull(tag, "tag is null");
    params = List.copyOf(params);
    requireNonNull(request, "request is null");
    replies = List.copyOf(replies);
    requireNonNull(handler, "handler is null");
  }

  /** The HTTP methods the API uses. */
  public enum Method {
    GET,
    HEAD,
    POST,
    PUT
  }

  /** Where a parameter travels. */
  public enum In {
    PATH,
    QUERY,
    HEADER
  }

  /** A documented parameter. */
  public record Param(In in, String name, boolean required, String type, String description) {}

  /** What a request or reply body holds. */
  public sealed interface Body {
    /** No body. */
    record None() implements Body {}

    /** JSON described by a record class of the {@code json} package. */
    record JsonOf(Class<?> type) implements Body {}

    /** A page of JSON items: {@code {"items": [...], "nextCursor": ...}}. */
    record PageOf(Class<?> item) implements Body {}

    /** Any JSON object (documents described elsewhere, such as this API's OpenAPI document). */
    record AnyJson() implements Body {}

    /** Raw bytes of any media type (artifact content). */
    record Bytes() implements Body {}

    /** UTF-8 text ({@code text/plain}). */
    record Text() implements Body {}

    /** An RFC 9457 problem document. */
    record ProblemDoc() implements Body {}

    /** The Prometheus text exposition format. */
    record Metrics() implements Body {}
  }

  /** A documented reply: status, body, one line of description. */
  public record Reply(int status, Body body, String description) {}

  /** Javalin's template turned into an OpenAPI path ({@code <path>} becomes {@code {path}}). */
  public String openApiPath() {
    return path.replace('<', '{').replace('>', '}');
  }

  /** Names of the path parameters, in order. */
  public List<String> pathParams() {
    return pathParamsOf(path);
  }

  private static List<String> pathParamsOf(String path) {
    List<String> names = new ArrayList<>();
    for (String segment : path.split("/")) {
      if ((segment.startsWith("{") && segment.endsWith("}"))
          || (segment.startsWith("<") && segment.endsWith(">"))) {
        names.add(segment.substring(1, segment.length() - 1));
      }
    }
    return names;
  }

  /** A builder, so the route table reads as a table. */
  public static Builder route(Method method, String path, Access access) {
    return new Builder(method, path, access);
  }

  /** Collects one route's description; {@link #handle} finishes it. */
  public static final class Builder {
    private final Method method;
    private final String path;
    private final Access access;
    private String operationId;
    private String summary = "";
    private String tag = "api";
    private final List<Param> params = new ArrayList<>();
    private Body request = new Body.None();
    private final List<Reply> replies = new ArrayList<>();

    private Builder(Method method, String path, Access access) {
      this.method = method;
      this.path = path;
      this.access = access;
    }

    public Builder id(String newOperationId, String newSummary) {
      this.operationId = newOperationId;
      this.summary = newSummary;
      return this;
    }

    public Builder tag(String newTag) {
      this.tag = newTag;
      return this;
    }

    public Builder query(String name, String type, String description) {
      params.add(new Param(In.QUERY, name, false, type, description));
      return this;
    }

    public Builder header(String name, boolean required, String description) {
      params.add(new Param(In.HEADER, name, required, "string", description));
      return this;
    }

    public Builder json(Class<?> type) {
      this.request = new Body.JsonOf(type);
      return this;
    }

    public Builder bytes() {
      this.request = new Body.Bytes();
      return this;
    }

    public Builder replies(int status, Body body, String description) {
      replies.add(new Reply(status, body, description));
      return this;
    }

    public Builder repliesJson(int status, Class<?> type, String description) {
      return replies(status, new Body.JsonOf(type), description);
    }

    public Builder repliesPage(int status, Class<?> item, String description) {
      return replies(status, new Body.PageOf(item), description);
    }

    /** Documents problem replies for each status. */
    public Builder problems(int... statuses) {
      for (int status : statuses) {
        replies.add(new Reply(status, new Body.ProblemDoc(), ""));
      }
      return this;
    }

    public Route handle(RouteHandler handler) {
      List<Param> all = new ArrayList<>();
      for (String name : pathParamsOf(path)) {
        all.add(new Param(In.PATH, name, true, "string", ""));
      }
      all.addAll(params);
      return new Route(
          method, path, access, operationId, summary, tag, all, request, replies, handler);
    }
  }
}
