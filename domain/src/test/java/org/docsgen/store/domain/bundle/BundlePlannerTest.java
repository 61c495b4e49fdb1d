package org.docsgen.store.domain.bundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.docsgen.store.domain.Fixtures.PHASE1;
import static org.docsgen.store.domain.Fixtures.RUN_ID;
import static org.docsgen.store.domain.Fixtures.T0;
import static org.docsgen.store.domain.Fixtures.activeRun;
import static org.docsgen.store.domain.Fixtures.artifact;
import static org.docsgen.store.domain.Fixtures.path;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.docsgen.store.domain.Fixtures;
import org.docsgen.store.domain.artifact.ArtifactInfo;
import org.docsgen.store.domain.artifact.ArtifactType;
import org.docsgen.store.domain.artifact.LogicalPath;
import org.docsgen.store.domain.gate.GateOutcome;
import org.docsgen.store.domain.run.CoreFileSet;
import org.docsgen.store.domain.run.Run;
import org.docsgen.store.domain.run.RunStatus;
import org.docsgen.store.domain.run.Stage;
import org.junit.jupiter.api.Test;

class BundlePlannerTest {
  private static final Stage FINAL = Stage.FINAL;
  private static final Run RUN = activeRun(List.of("docsgen.md", "faq.md"), false);

  private static ArtifactInfo doc(Stage stage, String name, int generation, long atSeconds) {
    return artifact(
        path(stage, name),
        ArtifactType.DOCUMENTATION,
        name + generation,
        generation,
        T0.plusSeconds(atSeconds));
  }

  private static BundlePlan.Ready ready(BundlePlan plan) {
    assertThat(plan).isInstanceOf(BundlePlan.Ready.class);
    return (BundlePlan.Ready) plan;
  }

  private static BundlePlan.Refused refused(BundlePlan plan) {
    assertThat(plan).isInstanceOf(BundlePlan.Refused.class);
    return (BundlePlan.Refused) plan;
  }

  @Test
  void pathsAreUnderFinal() {
    assertThat(BundlePlanner.bundlePath(RUN_ID))
        .hasToString(RUN_ID + "/final/docsgen-documentation-bundle.zip");
    assertThat(BundlePlanner.attestationPath(RUN_ID))
        .hasToString(RUN_ID + "/final/docsgen-documentation-bundle.intoto.jsonl");
  }

  @Test
  void takesOneSourcePerCoreFileSortedByEntryName() {
    ArtifactInfo faq = doc(PHASE1, "docs/faq.md", 1, 0);
    ArtifactInfo main = doc(FINAL, "docsgen.md", 1, 0);
    BundlePlan.Ready plan = ready(BundlePlanner.plan(RUN, GateOutcome.pass(), List.of(faq, main)));
    assertThat(plan.sources())
        .containsExactly(new BundleSource("docsgen.md", main), new BundleSource("faq.md", faq));
    assertThat(plan.readmeText()).isNull();
  }

  @Test
  void picksTheNewestVersionWhateverTheInputOrder() {
    ArtifactInfo old = doc(PHASE1, "faq.md", 1, 0);
    ArtifactInfo newerGeneration = doc(PHASE1, "faq.md", 2, 0);
    ArtifactInfo newest = doc(FINAL, "faq.md", 1, 10);
    ArtifactInfo main = doc(FINAL, "docsgen.md", 1, 0);
    List<ArtifactInfo> outputs = new ArrayList<>(List.of(old, newerGeneration, newest, main));
    for (int i = 0; i < 6; i++) {
      Collections.rotate(outputs, 1);
      BundlePlan.Ready plan = ready(BundlePlanner.plan(RUN, GateOutcome.pass(), outputs));
      assertThat(plan.sources()).contains(new BundleSource("faq.md", newest));
    }
  }

  @Test
  void sameTimeHigherGenerationWins() {
    ArtifactInfo g1 = doc(PHASE1, "faq.md", 1, 5);
    ArtifactInfo g2 = doc(PHASE1, "faq.md", 2, 5);
    ArtifactInfo main = doc(FINAL, "docsgen.md", 1, 0);
    assertThat(ready(BundlePlanner.plan(RUN, GateOutcome.pass(), List.of(g2, g1, main))).sources())
        .contains(new BundleSource("faq.md", g2));
    assertThat(ready(BundlePlanner.plan(RUN, GateOutcome.pass(), List.of(g1, g2, main))).sources())
        .contains(new BundleSource("faq.md", g2));
  }

  @Test
  void onlyDocumentationEntersTheBundle() {
    List<ArtifactInfo> outputs = new ArrayList<>();
    for (ArtifactType type :
        List.of(
            ArtifactType.VALIDATION_REPORT,
            ArtifactType.PLAN,
            ArtifactType.BUNDLE,
            ArtifactType.OTHER)) {
      outputs.add(artifact(path(FINAL, "faq.md"), type, type.name(), 9, T0.plusSeconds(99)));
      outputs.add(artifact(path(FINAL, "docsgen.md"), type, type.name(), 9, T0.plusSeconds(99)));
    }
    assertThat(refused(BundlePlanner.plan(RUN, GateOutcome.pass(), outputs)).missing())
        .containsExactly("docsgen.md", "faq.md");
    ArtifactInfo faq = doc(PHASE1, "faq.md", 1, 0);
    ArtifactInfo main = doc(PHASE1, "docsgen.md", 1, 0);
    outputs.add(faq);
    outputs.add(main);
    assertThat(ready(BundlePlanner.plan(RUN, GateOutcome.pass(), outputs)).sources())
        .extracting(BundleSource::source)
        .containsExactly(main, faq);
  }

  @Test
  void nonCoreFilesAndOtherRunsAreIgnored() {
    ArtifactInfo extra = doc(FINAL, "notes.md", 1, 0);
    ArtifactInfo otherRun =
        artifact(
            LogicalPath.of(Fixtures.OTHER_RUN_ID, FINAL, "faq.md"),
            ArtifactType.DOCUMENTATION,
            "x",
            1,
            T0);
    ArtifactInfo main = doc(FINAL, "docsgen.md", 1, 0);
    BundlePlan.Refused plan =
        refused(BundlePlanner.plan(RUN, GateOutcome.pass(), List.of(extra, otherRun, main)));
    assertThat(plan.missing()).containsExactly("faq.md");
    assertThat(plan.failing()).isEmpty();
  }

  @Test
  void matchesOnTheFileNameNotOnAPrefix() {
    ArtifactInfo lookalike = doc(FINAL, "old-faq.md", 1, 0);
    ArtifactInfo main = doc(FINAL, "docsgen.md", 1, 0);
    assertThat(
            refused(BundlePlanner.plan(RUN, GateOutcome.pass(), List.of(lookalike, main)))
                .missing())
        .containsExactly("faq.md");
  }

  @Test
  void refusalNamesEveryMissingCoreFileOfTheStandardSet() {
    Run standard = Fixtures.run(RunStatus.ACTIVE);
    BundlePlan.Refused none = refused(BundlePlanner.plan(standard, GateOutcome.pass(), List.of()));
    assertThat(none.missing())
        .hasSize(43)
        .containsExactlyElementsOf(CoreFileSet.standard().names());
    List<ArtifactInfo> allButTwo =
        CoreFileSet.standard().names().stream()
            .filter(n -> !n.equals("faq.md") && !n.equals("security.md"))
            .map(n -> doc(FINAL, n, 1, 0))
            .toList();
    assertThat(refused(BundlePlanner.plan(standard, GateOutcome.pass(), allButTwo)).missing())
        .containsExactly("faq.md", "security.md");
  }

  @Test
  void aFailingGateRefusesAndCarriesItsReasonsWithTheMissingFiles() {
    GateOutcome failing = GateOutcome.fail(List.of("2 ERROR issues are recorded against final@1"));
    BundlePlan.Refused complete =
        refused(
            BundlePlanner.plan(
                RUN, failing, List.of(doc(FINAL, "docsgen.md", 1, 0), doc(FINAL, "faq.md", 1, 0))));
    assertThat(complete.missing()).isEmpty();
    assertThat(complete.failing()).isEqualTo(failing.failing());
    BundlePlan.Refused both = refused(BundlePlanner.plan(RUN, failing, List.of()));
    assertThat(both.missing()).containsExactly("docsgen.md", "faq.md");
    assertThat(both.failing()).isEqualTo(failing.failing());
  }

  @Test
  void readmeIsAddedOnlyWhenAskedAndPointsToDocsgenMd() {
    Run withReadme = activeRun(List.of("docsgen.md", "faq.md"), true);
    List<ArtifactInfo> outputs =
        List.of(doc(FINAL, "docsgen.md", 1, 0), doc(FINAL, "faq.md", 1, 0));
    BundlePlan.Ready plan = ready(BundlePlanner.plan(withReadme, GateOutcome.pass(), outputs));
    assertThat(plan.readmeText()).isEqualTo(BundlePlanner.readmeText(withReadme));
    assertThat(plan.readmeText()).contains("[docsgen.md](docsgen.md)", RUN_ID.toString());
    assertThat(plan.sources()).extracting(BundleSource::entryName).doesNotContain("README.md");
    assertThat(ready(BundlePlanner.plan(RUN, GateOutcome.pass(), outputs)).readmeText()).isNull();
  }

  @Test
  void readmeTextIsDeterministic() {
    Run withReadme = activeRun(List.of("docsgen.md"), true);
    assertThat(BundlePlanner.readmeText(withReadme))
        .isEqualTo(BundlePlanner.readmeText(withReadme));
  }

  @Test
  void aCoreReadmeWinsOverTheGeneratedOne() {
    Run run = activeRun(List.of("docsgen.md", "README.md"), true);
    ArtifactInfo readme = doc(FINAL, "README.md", 1, 0);
    BundlePlan.Ready plan =
        ready(
            BundlePlanner.plan(
                run, GateOutcome.pass(), List.of(readme, doc(FINAL, "docsgen.md", 1, 0))));
    assertThat(plan.readmeText()).isNull();
    assertThat(plan.sources()).contains(new BundleSource("README.md", readme));
  }
}
