package org.docsgen.store.app.http.json;

import java.util.List;
import java.util.Map;
import org.docsgen.store.domain.artifact.ArtifactInfo;
import org.docsgen.store.domain.gate.GateReport;
import org.docsgen.store.domain.gate.IssueEvidence;

/**
 * Why a stage's gate passed or failed, without rerunning anything: the latest execution, the
 * outcome ({@code reasons} in words; {@code failing}: each open ERROR issue as {@code {rule,
 * file}}, at most 100, {@code failingTotal} counting all), the issue counts and, per issue, the
 * artifact version it refers to and the execution that produced that version ({@code
 * <stage>@<attempt>}).
 */
public record GateReportJson(
    String runId,
    String stage,
    boolean passed,
    List<String> reasons,
    List<FailingIssueJson> failing,
    long failingTotal,
    ExecutionJson execution,
    Map<String, Long> issueCounts,
    List<Evidence> evidence) {

  /** One issue behind the outcome with its artifact version and producing execution. */
  public record Evidence(IssueJson issue, ArtifactJson artifact, String producedBy) {
    static Evidence of(IssueEvidence evidence) {
      return new Evidence(
          IssueJson.of(evidence.issue()),
          ArtifactJson.of(evidence.artifact()),
          evidence.producedBy() == null ? null : evidence.producedBy().toString());
    }
  }

  /** {@code artifacts}: the versions the reported execution produced (empty when none ran). */
  public static GateReportJson of(GateReport report, List<ArtifactInfo> artifacts) {
    return new GateReportJson(
        report.runId().toString(),
        report.stage().toString(),
        report.outcome().passed(),
        report.outcome().failing(),
        FailingIssueJson.of(report.failingIssues()),
        report.failingIssues().total(),
        report.execution() == null ? null : ExecutionJson.of(report.execution(), artifacts),
        SeverityCounts.of(report.issueCounts()),
        report.evidence().stream().map(Evidence::of).toList());
  }
}
