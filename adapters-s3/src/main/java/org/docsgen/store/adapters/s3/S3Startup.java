package org.docsgen.store.adapters.s3;

import java.util.ArrayList;
import java.util.List;
import org.docsgen.store.ports.error.BackendUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Connecting the store: builds the client, runs the {@link ConditionalWriteProbe} and decides the
 * checksum mode. With {@code checksumsWhenRequired} unset it tries the SDK's default checksums
 * first and, when the endpoint refuses them, checksums only when required (an explicit setting is
 * used as given). It refuses an endpoint where writes do not work, and one that ignores {@code
 * If-None-Match: *} while {@code requireConditionalWrites} is set.
 */
final class S3Startup {
  // the start-up line keeps the store's log category
  private static final Logger LOG = LoggerFactory.getLogger(S3ArtifactStore.class);

  private S3Startup() {}

  /**
   * A client that works with the endpoint, what the probe found and the checksum mode chosen (as
   * {@code health()} reports it).
   */
  record Connection(S3Client s3, ConditionalWriteProbe.Result probe, String checksums) {}

  /**
   * @throws IllegalStateException writes do not work with any client configuration tried, or the
   *     endpoint ignores {@code If-None-Match: *} and {@code requireConditionalWrites} is set
   * @throws BackendUnavailableException the endpoint or the bucket cannot be reached or used
   */
  static Connection connect(S3Settings settings) {
    Boolean configured = settings.checksumsWhenRequired();
    List<Boolean> modes = configured == null ? List.of(false, true) : List.of(configured);
    List<String> refusals = new ArrayList<>();
    for (boolean whenRequired : modes) {
      S3Client s3 = S3ClientFactory.create(settings, whenRequired);
      try {
        ConditionalWriteProbe.Result probe = probe(s3, settings);
        if (probe.writesWork()) {
          String checksums = checksumsDetail(configured, whenRequired, refusals);
          LOG.info("S3 artifact store on {}: {}", settings.where(), checksums);
          refuseUnguarded(settings, probe);
          return new Connection(s3, probe, checksums);
        }
        refusals.add(probe.detail() + " " + modeName(whenRequired));
        s3.close();
      } catch (RuntimeException e) {
        s3.close();
        throw e;
      }
    }
    throw new IllegalStateException(
        "refusing to start the S3 artifact store on "
            + settings.where()
            + ": writes do not work: "
            + String.join("; ", refusals)
            + (configured == null
                ? ""
                : ". artifacts.s3.checksumsWhenRequired is set to "
                    + configured
                    + "; remove it to let the start-up probe decide"));
  }

  private static ConditionalWriteProbe.Result probe(S3Client s3, S3Settings settings) {
    try {
      return ConditionalWriteProbe.run(
          s3, settings.bucket(), new S3Keys(settings.keyRoot()).newProbeKey());
    } catch (SdkException e) {
      throw S3Failures.translate("probing writes on bucket " + settings.bucket(), e);
    }
  }

  private static void refuseUnguarded(S3Settings settings, ConditionalWriteProbe.Result probe) {
    if (!probe.honoured() && settings.requireConditionalWrites()) {
      throw new IllegalStateException(
          "refusing to start the S3 artifact store on "
              + settings.where()
              + ": "
              + probe.detail()
              + ". Without it the store guard cannot make the creation of a generation"
              + " exclusive. Use an endpoint that honours conditional puts (AWS S3, s3proxy"
              + " >= 2.9), or set requireConditionalWrites=false to run unguarded.");
    }
  }

  private static String checksumsDetail(
      Boolean configured, boolean whenRequired, List<String> refusals) {
    if (configured != null) {
      return modeName(whenRequired).replace("with ", "") + " (configured)";
    }
    if (refusals.isEmpty()) {
      return modeName(whenRequired).replace("with ", "") + " (start-up probe)";
    }
    return modeName(whenRequired).replace("with ", "")
        + " (start-up probe: "
        + String.join("; ", refusals)
        + ")";
  }

  private static String modeName(boolean whenRequired) {
    return whenRequired
        ? "with SDK checksums only when required"
        : "with the SDK's default checksums";
  }
}
