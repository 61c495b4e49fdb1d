package org.docsgen.store.app.http.routes.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.docsgen.store.app.http.auth.BearerAuthenticator;
import org.eclipse.jetty.util.thread.Invocable.InvocationType;
import org.junit.jupiter.api.Test;

/**
 * Where Jetty runs the direct artifact GET: on the selector thread only when both stores are local
 * (a read then waits on the local disk alone); with a store across the network, on pool threads.
 */
class DirectArtifactGetInvocationTest {
  private static DirectArtifactGet direct(boolean local) {
    return new DirectArtifactGet(
        null, new BearerAuthenticator(List.of()), local, (m, s, n, p, b, a) -> {});
  }

  @Test
  void localStoresAreReadOnTheSelectorThread() {
    assertThat(direct(true).getInvocationType()).isEqualTo(InvocationType.NON_BLOCKING);
  }

  @Test
  void networkStoresAreReadOnPoolThreads() {
    assertThat(direct(false).getInvocationType()).isEqualTo(InvocationType.BLOCKING);
  }
}
