package org.docsgen.store.ports.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.time.Clock;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import org.docsgen.store.domain.artifact.LogicalPath;
import org.docsgen.store.domain.run.RunId;
import org.docsgen.store.ports.contract.ArtifactStoreContract;
import org.docsgen.store.ports.contract.ManifestStoreContract;
import org.docsgen.store.ports.guard.OverwriteTokens;
import org.docsgen.store.ports.out.ArtifactStore;
import org.docsgen.store.ports.out.ManifestStore;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.EngineFilter;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * The contract suites bite: run against deliberately broken doubles, the tests that check the
 * broken property fail (and the rest still pass). The broken subclasses are nested, so surefire
 * does not run them on their own ({@code **}{@code /*$*} is excluded); this test runs them through
 * the JUnit Platform launcher and inspects the outcome of each contract test.
 */
class ContractSuitesBiteTest {

  @Test
  void anArtifactStoreThatOverwritesInPlaceFailsTheGuardTests() {
    Map<String, TestExecutionResult.Status> results = run(OverwritingInPlace.class);

    assertThat(failed(results))
        .contains(
            "overwriteWithoutTokenIsRefusedByTheStoreNamingThePath",
            "overwriteWithATokenForAnotherPathIsRefused",
            "overwriteWithAStaleTokenIsRefused",
            "overwriteWithAnExpiredTokenIsRefused",
            "overwriteWithAForgedTokenIsRefused",
            "aReusedTokenIsRefused",
            "concurrentCreatesNeverLoseOrAlterAcknowledgedBytes");
    assertThat(results).containsEntry("writeThenReadReturnsSameBytesAndJdkHash", successful());
  }

  @Test
  void anArtifactStoreThatSkipsReadVerificationFailsTheIntegrityTests() {
    Map<String, TestExecutionResult.Status> results = run(NotVerifying.class);

    assertThat(failed(results))
        .contains(
            "tamperedContentFailsAWholeReadWithAnIntegrityErrorNamingThePath",
            "tamperingWithOneGenerationLeavesTheOtherReadable",
            "healthIsUpAndGuarded");
    assertThat(results).containsEntry("identicalRewriteIsIdempotent", successful());
  }

  @Test
  void anArtifactStoreThatRemovesOrphansCarelesslyFailsTheGraceAndOrderTests() {
    Map<String, TestExecutionResult.Status> results = run(CarelessOrphanRemoval.class);

    assertThat(failed(results))
        .contains(
            "deleteOrphanNeverRemovesAVersionTheStoreStampedAtOrAfterTheCutoff",
            "deleteOrphanKeepsAnyGenerationBelowTheLatestAndRemovesFromTheTopDown");
    assertThat(results)
        .containsEntry(
            "deleteOrphanRemovesAnOldLatestVersionAndTheGenerationCanBeWrittenAgain", successful());
  }

  @Test
  void anArtifactStoreThatTakesABrokenBodyForItsOwnFailureFailsTheBodyTests() {
    Map<String, TestExecutionResult.Status> results = run(BodyFailureAsBackendFailure.class);

    assertThat(failed(results))
        .containsExactlyInAnyOrder(
            "aBodyThatBreaksMidStreamIsInvalidInputAndLeavesNothingBehind",
            "aBodyThatBreaksDuringAnOverwriteKeepsTheCurrentGenerationAndTheToken",
            "aPortExceptionThrownByTheBodyReachesTheCallerUnchanged",
            "healthIsUpAndGuarded");
    assertThat(results).containsEntry("writeThenReadReturnsSameBytesAndJdkHash", successful());
  }

  @Test
  void aManifestThatReplacesIndexedVersionsFailsTheArbiterTest() {
    Map<String, TestExecutionResult.Status> results = run(ReplacingIndexedVersions.class);

    assertThat(failed(results))
        .contains("recordingADifferentHashForAnIndexedGenerationIsRefusedByTheStoreLayer");
    assertThat(results).hasSizeGreaterThan(30);
  }

  @Test
  void aManifestThatChecksThePolicyOnlyOnArrivalFailsTheCommitTests() {
    Map<String, TestExecutionResult.Status> results = run(IgnoringThePolicyAtCommit.class);

    assertThat(failed(results))
        .contains(
            "recordWriteIsRefusedOnceItsExecutionFinishedWhateverItsStatus",
            "aWriteOfAFinishedAttemptIsNotAdoptedByTheNextAttempt",
            "recordWriteIsRefusedInAnApprovedStageUntilTheApprovalIsLifted",
            "recordWriteIsRefusedInABundledRunEvenWhileItsExecutionRuns");
    assertThat(results)
        .containsEntry("recordWriteIndexesAWriteOfTheRunningExecution", successful());
  }

  private static TestExecutionResult.Status successful() {
    return TestExecutionResult.Status.SUCCESSFUL;
  }

  private static Set<String> failed(Map<String, TestExecutionResult.Status> results) {
    Map<String, TestExecutionResult.Status> failures = new TreeMap<>(results);
    failures.values().removeIf(s -> s != TestExecutionResult.Status.FAILED);
    return failures.keySet();
  }

  /** Runs one contract subclass; answers each test method's status by method name. */
  private static Map<String, TestExecutionResult.Status> run(Class<?> suite) {
    Map<String, TestExecutionResult.Status> results = new TreeMap<>();
    LauncherDiscoveryRequest request =
        LauncherDiscoveryRequestBuilder.request()
            .selectors(selectClass(suite))
            .filters(EngineFilter.includeEngines("junit-jupiter"))
            .build();
    Launcher launcher = LauncherFactory.create();
    launcher.execute(
        request,
        new TestExecutionListener() {
          @Override
          public void executionFinished(TestIdentifier id, TestExecutionResult result) {
            if (id.isTest()) {
              results.put(id.getDisplayName().replaceAll("\\(.*\\)$", ""), result.getStatus());
            }
          }
        });
    return results;
  }

  /** The artifact store contract run against an in-memory store with one deliberate flaw. */
  abstract static class FlawedArtifactStore extends ArtifactStoreContract {
    private final InMemoryArtifactStore.Flaw flaw;
    private InMemoryArtifactStore memory;

    FlawedArtifactStore(InMemoryArtifactStore.Flaw flaw) {
      this.flaw = flaw;
    }

    @Override
    protected ArtifactStore createStore(OverwriteTokens tokens, Clock clock) {
      memory = InMemoryArtifactStore.flawed(tokens, clock, flaw);
      return memory;
    }

    @Override
    protected void assertBackendEmpty() {
      assertThat(memory.isEmpty()).isTrue();
    }

    @Override
    protected void tamper(LogicalPath path, int generation) {
      memory.tamper(path, generation);
    }
  }

  static class OverwritingInPlace extends FlawedArtifactStore {
    OverwritingInPlace() {
      super(InMemoryArtifactStore.Flaw.OVERWRITE_IN_PLACE);
    }
  }

  static class NotVerifying extends FlawedArtifactStore {
    NotVerifying() {
      super(InMemoryArtifactStore.Flaw.SKIP_READ_VERIFICATION);
    }
  }

  static class CarelessOrphanRemoval extends FlawedArtifactStore {
    CarelessOrphanRemoval() {
      super(InMemoryArtifactStore.Flaw.CARELESS_ORPHAN_REMOVAL);
    }
  }

  static class BodyFailureAsBackendFailure extends FlawedArtifactStore {
    BodyFailureAsBackendFailure() {
      super(InMemoryArtifactStore.Flaw.BODY_FAILURE_AS_BACKEND_FAILURE);
    }
  }

  static class ReplacingIndexedVersions extends ManifestStoreContract {
    private InMemoryManifestStore memory;

    @Override
    protected ManifestStore createStore() {
      memory = InMemoryManifestStore.flawed(InMemoryManifestStore.Flaw.REPLACE_INDEXED_VERSION);
      return memory;
    }

    @Override
    protected void assertBackendEmpty() {
      assertThat(memory.isEmpty()).isTrue();
    }

    @Override
    protected OptionalLong rawApprovalRowCount(RunId runId) {
      return OptionalLong.of(memory.approvalRowCount(runId));
    }
  }

  static class IgnoringThePolicyAtCommit extends ManifestStoreContract {
    private InMemoryManifestStore memory;

    @Override
    protected ManifestStore createStore() {
      memory = InMemoryManifestStore.flawed(InMemoryManifestStore.Flaw.IGNORE_POLICY_AT_COMMIT);
      return memory;
    }

    @Override
    protected void assertBackendEmpty() {
      assertThat(memory.isEmpty()).isTrue();
    }
  }
}
