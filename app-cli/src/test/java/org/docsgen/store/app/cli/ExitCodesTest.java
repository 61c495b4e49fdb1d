package org.docsgen.store.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.inject.ProvisionException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import java.util.List;
import org.docsgen.store.app.http.config.ConfigException;
import org.docsgen.store.domain.InvalidValueException;
import org.docsgen.store.domain.artifact.ContentHash;
import org.docsgen.store.domain.artifact.LogicalPath;
import org.docsgen.store.ports.error.AlreadyExistsException;
import org.docsgen.store.ports.error.BackendUnavailableException;
import org.docsgen.store.ports.error.GateNotPassedException;
import org.docsgen.store.ports.error.ImmutableException;
import org.docsgen.store.ports.error.IntegrityException;
import org.docsgen.store.ports.error.InvalidInputException;
import org.docsgen.store.ports.error.NotFoundException;
import org.docsgen.store.ports.error.PayloadTooLargeException;
import org.docsgen.store.ports.error.RefusedException;
import org.junit.jupiter.api.Test;

/** The one mapping from failures to the pinned exit codes, family by family. */
class ExitCodesTest {
  private static final LogicalPath PATH = LogicalPath.parse("run_2026_01_02_0003/phase1/a.md");
  private static final ContentHash HASH = ContentHash.parse("sha256:" + "ab".repeat(32));

  private static int code(Throwable e) {
    return ExitCodes.classify(e).code();
  }

  @Test
  void refusalsAreOne() {
    assertThat(code(new ImmutableException(ImmutableException.Layer.STORE, PATH, HASH, "no token")))
        .isEqualTo(1);
    assertThat(code(new AlreadyExistsException(PATH, HASH))).isEqualTo(1);
    assertThat(code(new GateNotPassedException(PATH.runId(), List.of("a.md"), List.of())))
        .isEqualTo(1);
    assertThat(code(new RefusedException("no-running-execution", "x"))).isEqualTo(1);
  }

  @Test
  void badInputIsTwo() {
    assertThat(code(new InvalidValueException("path", "bad"))).isEqualTo(2);
    assertThat(code(new InvalidInputException("body", "bad"))).isEqualTo(2);
    assertThat(code(new PayloadTooLargeException("content", 10))).isEqualTo(2);
    assertThat(code(new NotFoundException("run run_2026_01_02_0003 does not exist"))).isEqualTo(2);
    assertThat(code(new ConfigException("server.port", "bad"))).isEqualTo(2);
    assertThat(code(new NoSuchFileException("in.md"))).isEqualTo(2);
    assertThat(code(CliException.badInput("bad"))).isEqualTo(2);
  }

  @Test
  void backendFailuresAreThreeEvenWhenWrapped() {
    var down = new BackendUnavailableException("postgresql", "cannot connect", null);
    assertThat(code(down)).isEqualTo(3);
    assertThat(code(new ProvisionException("wiring", down))).isEqualTo(3);
    assertThat(code(new UncheckedIOException(new IOException("disk full")))).isEqualTo(3);
    assertThat(code(new IllegalStateException("bug"))).isEqualTo(3);
  }

  @Test
  void integrityIsFourAndSaysWhatToDo() {
    var failure =
        ExitCodes.classify(
            IntegrityException.mismatch(
                PATH, 1, HASH, ContentHash.parse("sha256:" + "cd".repeat(32))));
    assertThat(failure.code()).isEqualTo(4);
    assertThat(failure.message()).contains(PATH.toString());
    assertThat(failure.hint()).contains("fsck --deep");
  }
}
