package org.docsgen.store.app.http.problem;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;
import org.docsgen.store.app.http.json.FailingIssueJson;
import org.docsgen.store.domain.gate.FailingIssues;

/**
 * An RFC 9457 problem document ({@code application/problem+json}): {@code type, title, status,
 * detail}, the request path as {@code instance}, and the extension members that apply — {@code
 * path}, {@code layer}, {@code currentHash} for immutability refusals, {@code missing}, {@code
 * failing} (each open ERROR issue as {@code {rule, file}}) and {@code failingTotal} for the gate,
 * {@code code} for a rule's stable code, {@code field} for the input at fault. Never a stack trace.
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
    List<FailingIssueJson> failing,
    Long failingTotal) {

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
        failing,
        failingTotal);
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
        failing,
        failingTotal);
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
        failing,
        failingTotal);
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
        failing,
        failingTotal);
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
        failing,
        failingTotal);
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
        failing,
        failingTotal);
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
        failing,
        failingTotal);
  }

  /**
   * A gate refusal: every missing core file, and the open ERROR issues as {@code {rule, file}} (at
   * most {@link org.docsgen.store.domain.gate.FailingIssues#MAX_LISTED}; {@code failingTotal}
   * counts them all). Both lists are present, possibly empty.
   */
  public Problem withGate(List<String> newMissing, FailingIssues newFailing) {
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
        FailingIssueJson.of(newFailing),
        newFailing.total());
  }
}
