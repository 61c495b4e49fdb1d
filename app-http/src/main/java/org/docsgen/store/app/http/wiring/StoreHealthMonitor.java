package org.docsgen.store.app.http.wiring;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.docsgen.store.app.http.health.Health;
import org.docsgen.store.app.http.json.HealthJson;
import org.docsgen.store.ports.error.BackendUnavailableException;
import org.docsgen.store.ports.out.ArtifactStore;
import org.docsgen.store.ports.out.ManifestStore;
import org.docsgen.store.ports.out.StoreHealth;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /health} from cached state (ARCHITECTURE.md § Health): both stores are probed once when
 * the server starts (the filesystem store's probe writes and removes a file), then by one
 * background thread every {@link #PROBE_INTERVAL}; a request that fails with a backend down, or a
 * write that succeeds, updates the state at once. The most recent observation of a store wins. A
 * probe that has not returned after {@link #STUCK_AFTER} counts as DOWN. {@link #current()} only
 * reads memory, so no caller of the open route can make the server do I/O. A change of state is
 * logged once, with its detail; the route shows none.
 */
final class StoreHealthMonitor implements Health, AutoCloseable {
  /** How often the stores are probed in the background; also the route's Retry-After. */
  static final Duration PROBE_INTERVAL = Duration.ofSeconds(5);

  /** A probe still running after this long means the backend hangs: DOWN until it answers. */
  static final Duration STUCK_AFTER = Duration.ofSeconds(15);

  private static final Logger LOG = LoggerFactory.getLogger(StoreHealthMonitor.class);

  private final ArtifactStore artifacts;
  private final ManifestStore manifest;
  private final Observed artifactState;
  private final Observed manifestState;
  private final ScheduledExecutorService prober;

  StoreHealthMonitor(ArtifactStore artifacts, ManifestStore manifest) {
    this.artifacts = requireNonNull(artifacts, "artifacts is null");
    this.manifest = requireNonNull(manifest, "manifest is null");
    this.artifactState = new Observed("artifact store", probe(artifacts::health));
    this.manifestState = new Observed("manifest store", probe(manifest::health));
    this.prober =
        Executors.newSingleThreadScheduledExecutor(
            task -> {
              Thread thread = new Thread(task, "docsgen-health-probe");
              thread.setDaemon(true);
              return thread;
            });
    long every = PROBE_INTERVAL.toMillis();
    prober.scheduleWithFixedDelay(this::probeBoth, every, every, TimeUnit.MILLISECONDS);
  }

  @Override
  public HealthJson current() {
    Observed.View a = artifactState.view();
    Observed.View m = manifestState.view();
    return new HealthJson(
        a.up() && m.up() ? "UP" : "DOWN",
        new HealthJson.Artifacts(a.backend(), a.up() ? "UP" : "DOWN", a.guarded()),
        new HealthJson.Manifest(m.up() ? "UP" : "DOWN"));
  }

  @Override
  public void writeSucceeded(boolean artifactsWritten) {
    manifestState.outcome(true, "a write succeeded");
    if (artifactsWritten) {
      artifactState.outcome(true, "an artifact write succeeded");
    }
  }

  @Override
  public void backendFailed(BackendUnavailableException failure) {
    String backend = failure.backend();
    String detail =
        failure.getMessage() + failure.internalDetail().map(d -> " [" + d + "]").orElse("");
    if (backend.equals(manifestState.view().backend()) || backend.equals("manifest")) {
      manifestState.outcome(false, detail);
    } else if (backend.equals(artifactState.view().backend())
        || backend.equals("artifacts")
        || backend.equals("bundle")) {
      artifactState.outcome(false, detail);
    }
    // any other name (a test double's) is left to the next probe
  }

  @Override
  public void close() {
    prober.shutdownNow();
  }

  private void probeBoth() {
    artifactState.probing();
    artifactState.probed(probe(artifacts::health));
    manifestState.probing();
    manifestState.probed(probe(manifest::health));
  }

  private static StoreHealth probe(Supplier<StoreHealth> health) {
    try {
      return health.get();
    } catch (RuntimeException e) {
      // health() is documented never to throw; a store that does is down, not the prober
      return new StoreHealth("unknown", false, false, "the probe failed: " + e);
    }
  }

  /** One store's last observation (probe or request outcome), thread-safe. */
  private static final class Observed {
    record View(String backend, boolean up, boolean guarded) {}

    private final String what;
    private String backend;
    private boolean guarded;
    private boolean up;
    private long probingSince; // System.nanoTime(), 0 when no probe runs

    Observed(String what, StoreHealth first) {
      this.what = what;
      this.backend = first.backend();
      this.guarded = first.guarded();
      this.up = first.up();
      if (!up) {
        LOG.warn("{} {} is DOWN at start: {}", what, backend, first.detail());
      }
    }

    synchronized View view() {
      boolean stuck = probingSince != 0 && System.nanoTime() - probingSince > STUCK_AFTER.toNanos();
      return new View(backend, up && !stuck, guarded);
    }

    synchronized void probing() {
      probingSince = System.nanoTime();
    }

    synchronized void probed(StoreHealth health) {
      probingSince = 0;
      if (!health.backend().equals("unknown")) {
        backend = health.backend();
        guarded = health.guarded();
      }
      outcome(health.up(), health.detail());
    }

    synchronized void outcome(boolean nowUp, String detail) {
      if (nowUp != up) {
        if (nowUp) {
          LOG.info("{} {} is UP again: {}", what, backend, detail);
        } else {
          LOG.warn("{} {} is DOWN: {}", what, backend, detail);
        }
      }
      up = nowUp;
    }
  }
}
