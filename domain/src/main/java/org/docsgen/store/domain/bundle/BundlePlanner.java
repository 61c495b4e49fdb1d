package org.docsgen.store.domain.bundle;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.docsgen.store.domain.artifact.ArtifactInfo;
import org.docsgen.store.domain.artifact.ArtifactType;
import org.docsgen.store.domain.artifact.LogicalPath;
import org.docsgen.store.domain.gate.GateOutcome;
import org.docsgen.store.domain.run.Run;
import org.docsgen.store.domain.run.RunId;
import org.docsgen.store.domain.run.Stage;

/**
 * Decides what goes into a run's bundle: for every name of the run's {@link
 * org.docsgen.store.domain.run.CoreFileSet} the newest validated {@code DOCUMENTATION} version with
 * that file name, plus a README when the run asked for one. Never validation reports, plans,
 * bundles or other artifacts.
 */
public final class BundlePlanner {
  public static final String BUNDLE_NAME = "docsgen-documentation-bundle.zip";
  public static final String ATTESTATION_NAME = "docsgen-documentation-bundle.intoto.jsonl";
  public static final String README_NAME = "README.md";

  /**
   * Newest first: highest createdAt, then highest generation, then later stage, then path (so the
   * pick is deterministic whatever order the caller lists versions in).
   */
  static final Comparator<ArtifactInfo> NEWEST_FIRST =
      Comparator.comparing(ArtifactInfo::createdAt)
          .thenComparingInt(ArtifactInfo::generation)
          .thenComparing(ArtifactInfo::stage)
          .thenComparing(ArtifactInfo::path)
          .reversed();

  private BundlePlanner() {}

  /** {@code <runId>/final/docsgen-documentation-bundle.zip}. */
  public static LogicalPath bundlePath(RunId runId) {
    return LogicalPath.of(runId, Stage.FINAL, BUNDLE_NAME);
  }

  /**
   * {@code <runId>/final/docsgen-documentation-bundle.intoto.jsonl}: the DSSE envelope of the
   * bundle's in-toto attestation, named as in-toto's attestation bundles are ({@code
   * .intoto.jsonl}, one envelope per line).
   */
  public static LogicalPath attestationPath(RunId runId) {
    return LogicalPath.of(runId, Stage.FINAL, ATTESTATION_NAME);
  }

  /**
   * Plans the bundle of {@code run}.
   *
   * @param finalGate the gate of the run's {@code final} stage; when it has not passed the plan is
   *     refused with its reasons
   * @param succeededOutputs every artifact version output by a SUCCEEDED execution of the run;
   *     versions of other runs and of other types than {@code DOCUMENTATION} are ignored
   * @return {@link BundlePlan.Ready} with one source per core file (sorted by entry name), or
   *     {@link BundlePlan.Refused} naming every missing core file and every gate reason
   */
  public static BundlePlan plan(
      Run run, GateOutcome finalGate, List<ArtifactInfo> succeededOutputs) {
    requireNonNull(run, "run is null");
    requireNonNull(finalGate, "finalGate is null");
    requireNonNull(succeededOutputs, "succeededOutputs is null");
    Map<String, ArtifactInfo> newest = newestPerCoreName(run, succeededOutputs);
    List<String> missing = new ArrayList<>();
    List<BundleSource> sources = new ArrayList<>();
    for (String name : run.coreFiles().names()) {
      ArtifactInfo pick = newest.get(name);
      if (pick == null) {
        missing.add(name);
      } else {
        sources.add(new BundleSource(name, pick));
      }
    }
    if (!missing.isEmpty() || !finalGate.passed()) {
      return new BundlePlan.Refused(missing, finalGate.failing());
    }
    return new BundlePlan.Ready(sources, wantsReadme(run) ? readmeText(run) : null);
  }

  /**
   * The README added to the bundle when the run asks for one: it points the reader to {@code
   * docsgen.md}. Deterministic (depends only on the run id and its core files), so the zip is too.
   */
  public static String readmeText(Run run) {
    requireNonNull(run, "run is null");
    StringBuilder text = new StringBuilder();
    text.append("# DocsGen documentation bundle\n\n")
        .append("Run: ")
        .append(run.runId())
        .append("\n\n")
        .append("Start reading at [docsgen.md](docsgen.md).\n\n")
        .append("This bundle holds the validated core documentation files of the run:\n\n");
    for (String name : run.coreFiles().names()) {
      text.append("- [").append(name).append("](").append(name).append(")\n");
    }
    return text.toString();
  }

  /**
   * A generated README is added only when asked and when no core file is itself called {@value
   * #README_NAME} (the validated core file wins over the generated text).
   */
  private static boolean wantsReadme(Run run) {
    return run.bundleReadme() && !run.coreFiles().contains(README_NAME);
  }

  private static Map<String, ArtifactInfo> newestPerCoreName(Run run, List<ArtifactInfo> outputs) {
    Map<String, ArtifactInfo> newest = new HashMap<>();
    for (ArtifactInfo info : outputs) {
      if (info.type() != ArtifactType.DOCUMENTATION
          || !info.runId().equals(run.runId())
          || !run.coreFiles().contains(info.path().fileName())) {
        continue;
      }
      newest.merge(info.path().fileName(), info, (a, b) -> NEWEST_FIRST.compare(a, b) <= 0 ? a : b);
    }
    return newest;
  }
}
