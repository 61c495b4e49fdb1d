package org.docsgen.store.app.http.problem;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/**
 * An RFC 9457 problem document ({@code application/problem+json}): {@code type, title, status,
 * detail}, the request path as {@code instance}, and the extension members that apply — {@code
 * path}, {@code layer}, {@code currentHash} for immutability refusals, {@code missing} and {@code
 * failing} for the gate, {@code code} for a rule's stable code, {@code field} for the input at
 * fault. Never a stack trace.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"type", "title", "status", "detail", "instance"})
public record Problem(
    String type,
    String title,
    int status,
    String detail,
    String instance,
    String code,
    String field,
    String path,
    String layer,
    String currentHash,
    List<String> missing,
    List<String> failing) {

  public static final String MEDIA_TYPE = "application/problem+json";

  public static Problem of(ProblemType kind, String detail) {
    return new Problem(
        kind.uri(),
        kind.title(),
        kind.status(),
        detail,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null);
  }

  public Problem withInstance(String newInstance) {
    return new Problem(
        type,
        title,
        status,
        detail,
        newInstance,
        code,
        field,
        path,
        layer,
        currentHash,
        missing,
        failing);
  }

  public Problem withCode(String newCode) {
    return new Problem(
        type,
        title,
        status,
        detail,
        instance,
        newCode,
        field,
        path,
        layer,
        currentHash,
        missing,
        failing);
  }

  public Problem withType(String newType, String newTitle) {
    return new Problem(
        newType,
        newTitle,
        status,
        detail,
        instance,
        code,
        field,
        path,
        layer,
        currentHash,
        missing,
        failing);
  }

  public Problem withField(String newField) {
    return new Problem(
        type,
        title,
        status,
        detail,
        instance,
        code,
        newField,
        path,
        layer,
        currentHash,
        missing,
        failing);
  }

  public Problem withPath(String newPath) {
    return new Problem(
        type,
        title,
        status,
        detail,
        instance,
        code,
        field,
        newPath,
        layer,
        currentHash,
        missing,
        failing);
  }

  public Problem withLayer(String newLayer, String newCurrentHash) {
    return new Problem(
        type,
        title,
        status,
        detail,
        instance,
        code,
        field,
        path,
        newLayer,
        newCurrentHash,
        missing,
        failing);
  }

  public Problem withCurrentHash(String newCurrentHash) {
    return new Problem(
        type,
        title,
        status,
        detail,
        instance,
        code,
        field,
        path,
        layer,
        newCurrentHash,
        missing,
        failing);
  }

  public Problem withGate(List<String> newMissing, List<String> newFailing) {
    return new Problem(
        type,
        title,
        status,
        detail,
        instance,
        code,
        field,
        path,
        layer,
        currentHash,
        List.copyOf(newMissing),
        List.copyOf(newFailing));
  }
}
