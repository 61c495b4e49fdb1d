package org.docsgen.store.adapters.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.inject.Guice;
import com.google.inject.ProvisionException;
import java.time.Clock;
import java.time.LocalDate;
import org.docsgen.store.adapters.s3.ConditionalWriteProbe.Answer;
import org.docsgen.store.adapters.s3.testing.S3ServerFixture;
import org.docsgen.store.domain.artifact.LogicalPath;
import org.docsgen.store.domain.run.RunId;
import org.docsgen.store.ports.guard.OverwriteTokens;
import org.docsgen.store.ports.out.ArtifactStore;
import org.docsgen.store.ports.out.StoreHealth;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The start-up probe of conditional puts: its decision for every answer pattern, and the store's
 * behaviour against real endpoints — s3proxy 3.0.0 (honours {@code If-None-Match: *} sequentially)
 * and the same s3proxy behind a relay that drops the header (an endpoint that ignores conditional
 * puts).
 */
class S3ConditionalWriteProbeTest {
  private static final OverwriteTokens TOKENS =
      new OverwriteTokens(new byte[32], Clock.systemUTC());

  @ParameterizedTest
  @CsvSource({
    "ACCEPTED, PRECONDITION_FAILED, true",
    "ACCEPTED, ACCEPTED, false",
    "ACCEPTED, REJECTED, false",
    "REJECTED, REJECTED, false",
    "PRECONDITION_FAILED, PRECONDITION_FAILED, false",
  })
  void onlyAnAcceptedFirstPutAndA412SecondPutCountAsHonoured(
      Answer first, Answer second, boolean honoured) {
    ConditionalWriteProbe.Result result =
        ConditionalWriteProbe.decide(first, second, "HTTP 501 NotImplemented");

    assertThat(result.honoured()).isEqualTo(honoured);
    assertThat(result.detail()).isNotBlank();
  }

  @Test
  void theReasonNamesWhatTheEndpointDid() {
    assertThat(ConditionalWriteProbe.decide(Answer.ACCEPTED, Answer.ACCEPTED, "").detail())
        .contains("ignores If-None-Match");
    assertThat(
            ConditionalWriteProbe.decide(
                    Answer.ACCEPTED, Answer.REJECTED, "HTTP 501 NotImplemented")
                .detail())
        .contains("does not support")
        .contains("501");
  }

  @Nested
  class AgainstAnEndpointThatHonoursConditionalPuts {
    @Test
    void theStoreStartsGuardedAndLeavesNoProbeObjectBehind() throws Exception {
      try (S3ServerFixture server = S3ServerFixture.startForTests()) {
        String bucket = server.newBucket();
        try (S3ArtifactStore store =
            S3ArtifactStore.start(server.settings(bucket), TOKENS, Clock.systemUTC())) {
          StoreHealth health = store.health();

          assertThat(health.up()).isTrue();
          assertThat(health.guarded()).isTrue();
          assertThat(server.rawClient().listObjectsV2(b -> b.bucket(bucket)).contents()).isEmpty();
        }
      }
    }
  }

  /**
   * s3proxy 3.0.0 refuses the SDK's default checksums: with authentication it answers the put 400
   * XAmzContentSHA256Mismatch, with {@code authorization=none} 500 (a content-length mismatch on
   * the chunked upload with a trailing checksum), and a read asking for a checksum 501. With the
   * checksum setting unset (the documented configuration) the probe finds that out and the store
   * writes and reads; an explicit setting is used as given, and a wrong one stops the start.
   */
  @Nested
  class AgainstAnEndpointThatRefusesTheSdkDefaultChecksums {
    @ParameterizedTest
    @CsvSource({"true", "false"})
    void withTheSettingUnsetTheProbeChoosesChecksumsThatWork(boolean authenticated)
        throws Exception {
      try (S3ServerFixture server =
          authenticated
              ? S3ServerFixture.startForTests()
              : S3ServerFixture.startWithoutAuthenticationForTests()) {
        S3Settings settings = server.settings(server.newBucket());
        assertThat(settings.checksumsWhenRequired()).isNull();
        try (S3ArtifactStore store = S3ArtifactStore.start(settings, TOKENS, Clock.systemUTC())) {
          LogicalPath p =
              LogicalPath.parse(RunId.of(LocalDate.of(2026, 11, 28), 4) + "/phase1/a.md");
          store.writeText(p, org.docsgen.store.domain.artifact.ArtifactType.PLAN, "x", "t");

          assertThat(store.readText(p)).isEqualTo("x");
          StoreHealth health = store.health();
          assertThat(health.up()).isTrue();
          assertThat(health.guarded()).isTrue();
          assertThat(health.detail())
              .contains("only when required (start-up probe")
              .contains(authenticated ? "HTTP 400" : "HTTP 500");
        }
      }
    }

    @Test
    void anExplicitSettingWinsAndAWrongOneStopsTheStartNamingTheKey() throws Exception {
      try (S3ServerFixture server = S3ServerFixture.startForTests()) {
        String bucket = server.newBucket();
        S3Settings wrong = server.settings(bucket).toBuilder().checksumsWhenRequired(false).build();

        assertThatThrownBy(() -> S3ArtifactStore.start(wrong, TOKENS, Clock.systemUTC()))
            .isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("writes do not work")
            .hasMessageContaining("XAmzContentSHA256Mismatch")
            .hasMessageContaining("artifacts.s3.checksumsWhenRequired is set to false");
        try (S3ArtifactStore store =
            S3ArtifactStore.start(
                server.settings(bucket).toBuilder().checksumsWhenRequired(true).build(),
                TOKENS,
                Clock.systemUTC())) {
          assertThat(store.health().detail()).contains("only when required (configured)");
        }
      }
    }
  }

  @Nested
  class AgainstAnEndpointThatIgnoresConditionalPuts {
    @Test
    void theStoreRefusesToStartGuardedAndSaysWhy() throws Exception {
      try (S3ServerFixture server = S3ServerFixture.startIgnoringConditionalWritesForTests()) {
        S3Settings settings = server.settings(server.newBucket());

        assertThatThrownBy(() -> S3ArtifactStore.start(settings, TOKENS, Clock.systemUTC()))
            .isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("ignores If-None-Match")
            .hasMessageContaining(settings.bucket())
            .hasMessageContaining("requireConditionalWrites");
      }
    }

    @Test
    void theModuleFailsToProvideTheStore() throws Exception {
      try (S3ServerFixture server = S3ServerFixture.startIgnoringConditionalWritesForTests()) {
        S3Settings settings = server.settings(server.newBucket());
        var injector =
            Guice.createInjector(
                new S3ArtifactModule(settings),
                binder -> {
                  binder.bind(OverwriteTokens.class).toInstance(TOKENS);
                  binder.bind(Clock.class).toInstance(Clock.systemUTC());
                });

        assertThatThrownBy(() -> injector.getInstance(ArtifactStore.class))
            .isInstanceOf(ProvisionException.class)
            .hasRootCauseInstanceOf(IllegalStateException.class)
            .hasMessageContaining("ignores If-None-Match");
      }
    }

    @Test
    void withConditionalWritesNotRequiredItStartsUnguardedAndSaysSo() throws Exception {
      try (S3ServerFixture server = S3ServerFixture.startIgnoringConditionalWritesForTests()) {
        S3Settings settings =
            server.settings(server.newBucket()).toBuilder().requireConditionalWrites(false).build();
        try (S3ArtifactStore store = S3ArtifactStore.start(settings, TOKENS, Clock.systemUTC())) {
          StoreHealth health = store.health();
          LogicalPath p =
              LogicalPath.parse(RunId.of(LocalDate.of(2026, 11, 28), 3) + "/phase1/a.md");

          assertThat(health.up()).isTrue();
          assertThat(health.guarded()).isFalse();
          assertThat(health.detail()).contains("UNGUARDED").contains("ignores If-None-Match");
          assertThat(
                  store
                      .writeText(p, org.docsgen.store.domain.artifact.ArtifactType.PLAN, "x", "t")
                      .generation())
              .isEqualTo(1);
          assertThat(store.readText(p)).isEqualTo("x");
        }
      }
    }
  }
}
