package org.docsgen.store.app.http.routes;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.docsgen.store.app.http.auth.Access;
import org.docsgen.store.app.http.problem.Problem;
import org.docsgen.store.app.http.routes.Route.Body;
import org.docsgen.store.app.http.routes.Route.Param;
import org.docsgen.store.app.http.routes.Route.Reply;

/**
 * Generates the OpenAPI 3.1 document from the route table: one operation per route with its
 * parameters, body, replies and security, and a schema per JSON record, read from the record's
 * components (so the document cannot drift from what the server writes).
 */
public final class OpenApiDocument {
  private static final String REF = "#/components/schemas/";
  private final Map<String, Object> schemas = new java.util.TreeMap<>();

  private OpenApiDocument() {}

  /** The document for {@code routes}, as nested maps and lists ready for JSON. */
  public static Map<String, Object> of(List<Route> routes, String version) {
    return new OpenApiDocument().build(routes, version);
  }

  private Map<String, Object> build(List<Route> routes, String version) {
    Map<String, Object> paths = new LinkedHashMap<>();
    for (Route route : routes) {
      @SuppressWarnings("unchecked")
      Map<String, Object> item =
          (Map<String, Object>)
              paths.computeIfAbsent(route.openApiPath(), p -> new LinkedHashMap<>());
      item.put(route.method().name().toLowerCase(Locale.ROOT), operation(route));
    }
    schemaOf(Problem.class);
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("openapi", "3.1.0");
    doc.put(
        "info",
        map(
            "title",
            "DocsGen Store",
            "version",
            version,
            "description",
            "Artifact and manifest storage for the DocsGen documentation pipeline. Errors are"
                + " RFC 9457 application/problem+json; every route but /health and"
                + " /openapi.json needs a bearer token (x-docsgen-access names the access"
                + " it needs: read = any role, write = writer/admin, approve ="
                + " approver/admin). Bounded work: a ?lines= preview answers at most"
                + " server.maxPreviewBytes (default 1048576) bytes, 413 above; a diff gives a"
                + " unifiedDiff only for texts of at most diff.maxTextBytes (default 1048576)"
                + " bytes each within an edit budget, else unifiedDiff null and diffOmitted"
                + " \"too-large\"."));
    doc.put("paths", paths);
    doc.put(
        "components",
        map(
            "securitySchemes",
            map("bearer", map("type", "http", "scheme", "bearer")),
            "schemas",
            schemas));
    return doc;
  }

  private Map<String, Object> operation(Route route) {
    Map<String, Object> op = new LinkedHashMap<>();
    op.put("operationId", route.operationId());
    op.put("summary", route.summary());
    op.put("tags", List.of(route.tag()));
    op.put("x-docsgen-access", route.access().name().toLowerCase(Locale.ROOT));
    op.put(
        "security", route.access() == Access.OPEN ? List.of() : List.of(map("bearer", List.of())));
    List<Object> parameters = new ArrayList<>();
    for (Param param : route.params()) {
      Map<String, Object> p = new LinkedHashMap<>();
      p.put("name", param.name());
      p.put("in", param.in().name().toLowerCase(Locale.ROOT));
      p.put("required", param.required());
      if (!param.description().isEmpty()) {
        p.put("description", param.description());
      } else if (param.name().equals("path")) {
        p.put("description", "the logical path <runId>/<stage>/<name>, slashes included");
      }
      p.put("schema", map("type", param.type()));
      parameters.add(p);
    }
    if (!parameters.isEmpty()) {
      op.put("parameters", parameters);
    }
    Map<String, Object> content = content(route.request(), false);
    if (!content.isEmpty()) {
      op.put(
          "requestBody",
          map("required", route.request() instanceof Body.Bytes, "content", content));
    }
    op.put("responses", responses(route));
    return op;
  }

  private Map<String, Object> responses(Route route) {
    Map<String, Map<String, Object>> byStatus = new LinkedHashMap<>();
    for (Reply reply : route.replies()) {
      Map<String, Object> response =
          byStatus.computeIfAbsent(
              Integer.toString(reply.status()),
              s -> new LinkedHashMap<>(Map.of("description", "")));
      String description =
          reply.description().isEmpty() ? "problem (RFC 9457)" : reply.description();
      String previous = (String) response.get("description");
      response.put("description", previous.isEmpty() ? description : previous + "; " + description);
      Map<String, Object> content = content(reply.body(), true);
      if (!content.isEmpty()) {
        @SuppressWarnings("unchecked")
        Map<String, Object> merged =
            (Map<String, Object>) response.computeIfAbsent("content", c -> new LinkedHashMap<>());
        content.forEach((mediaType, media) -> merge(merged, mediaType, media));
      }
    }
    return new LinkedHashMap<>(byStatus);
  }

  @SuppressWarnings("unchecked")
  private static void merge(Map<String, Object> content, String mediaType, Object media) {
    Object existing = content.get(mediaType);
    if (existing == null) {
      content.put(mediaType, media);
      return;
    }
    Map<String, Object> schema =
        (Map<String, Object>) ((Map<String, Object>) existing).get("schema");
    Object added = ((Map<String, Object>) media).get("schema");
    List<Object> options = new ArrayList<>();
    if (schema.containsKey("oneOf")) {
      options.addAll((List<Object>) schema.get("oneOf"));
    } else {
      options.add(schema);
    }
    options.add(added);
    content.put(mediaType, map("schema", map("oneOf", options)));
  }

  private Map<String, Object> content(Body body, boolean reply) {
    if (body instanceof Body.JsonOf json) {
      return map("application/json", map("schema", ref(json.type())));
    }
    if (body instanceof Body.PageOf page) {
      return map("application/json", map("schema", pageOf(page.item())));
    }
    if (body instanceof Body.AnyJson) {
      return map("application/json", map("schema", map("type", "object")));
    }
    if (body instanceof Body.Bytes) {
      return map("*/*", map("schema", map("type", "string", "format", "binary")));
    }
    if (body instanceof Body.Text || body instanceof Body.Metrics) {
      return map("text/plain", map("schema", map("type", "string")));
    }
    if (body instanceof Body.ProblemDoc) {
      return map(Problem.MEDIA_TYPE, map("schema", ref(Problem.class)));
    }
    return Map.of();
  }

  private Map<String, Object> pageOf(Class<?> item) {
    String name = name(item) + "Page";
    if (!schemas.containsKey(name)) {
      schemas.put(
          name,
          map(
              "type", "object",
              "required", List.of("items", "nextCursor"),
              "properties",
                  map(
                      "items", map("type", "array", "items", ref(item)),
                      "nextCursor", map("type", List.of("string", "null")))));
    }
    return map("$ref", REF + name);
  }

  private Map<String, Object> ref(Class<?> type) {
    schemaOf(type);
    return map("$ref", REF + name(type));
  }

  private void schemaOf(Class<?> type) {
    String name = name(type);
    if (schemas.containsKey(name)) {
      return;
    }
    if (!type.isRecord()) {
      throw new IllegalArgumentException(type + " is not a record");
    }
    schemas.put(name, Map.of()); // placeholder against recursion
    Map<String, Object> properties = new LinkedHashMap<>();
    for (RecordComponent component : type.getRecordComponents()) {
      properties.put(component.getName(), schema(component.getGenericType()));
    }
    schemas.put(name, map("type", "object", "properties", properties));
  }

  private Object schema(Type type) {
    if (type instanceof ParameterizedType generic) {
      Class<?> raw = (Class<?>) generic.getRawType();
      Type[] args = generic.getActualTypeArguments();
      if (List.class.isAssignableFrom(raw)) {
        return map("type", "array", "items", schema(args[0]));
      }
      if (Map.class.isAssignableFrom(raw)) {
        return map("type", "object", "additionalProperties", schema(args[1]));
      }
      if (raw.getSimpleName().equals("PageJson")) {
        return pageOf((Class<?>) args[0]);
      }
      return schema(raw);
    }
    Class<?> c = (Class<?>) type;
    if (c == String.class) {
      return map("type", "string");
    }
    if (c == int.class || c == Integer.class) {
      return map("type", "integer", "format", "int32");
    }
    if (c == long.class || c == Long.class) {
      return map("type", "integer", "format", "int64");
    }
    if (c == boolean.class || c == Boolean.class) {
      return map("type", "boolean");
    }
    if (c == Instant.class) {
      return map("type", "string", "format", "date-time");
    }
    if (c.isRecord()) {
      return ref(c);
    }
    return map("type", "object");
  }

  private static String name(Class<?> type) {
    Class<?> outer = type.getEnclosingClass();
    return outer == null
        ? type.getSimpleName()
        : outer.getSimpleName() + "." + type.getSimpleName();
  }

  private static Map<String, Object> map(Object... keysAndValues) {
    Map<String, Object> map = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      map.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return map;
  }
}
