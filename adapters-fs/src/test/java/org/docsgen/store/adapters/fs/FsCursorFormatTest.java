package org.docsgen.store.adapters.fs;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import java.util.Base64;
import java.util.Optional;
import org.docsgen.store.domain.artifact.LogicalPath;
import org.docsgen.store.domain.run.RunId;
import org.docsgen.store.domain.run.Stage;
import org.docsgen.store.ports.error.InvalidInputException;
import org.junit.jupiter.api.Test;

/**
 * Cursors already handed to clients must keep reading the same way: base64url (no padding) of
 * {@code L|<path>} for the latest listing and {@code V|<path>|<generation>} for the versions.
 */
class FsCursorFormatTest {
  private static final String REFUSAL =
      "the cursor was not issued by this listing; start again without a cursor";
  private final RunId run = RunId.of(LocalDate.of(2026, 11, 28), 42);
  private final LogicalPath path = LogicalPath.of(run, Stage.phase(1), "dir/a.md");

  private static String b64(String text) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(UTF_8));
  }

  @Test
  void cursorsKeepTheirFormat() {
    assertThat(FsListing.latestCursor(path)).isEqualTo(b64("L|" + path));
    assertThat(FsListing.versionsCursor(path, 3)).isEqualTo(b64("V|" + path + "|3"));
    assertThat(FsListing.parseCursor(b64("L|" + path), false, run, Optional.empty()))
        .isEqualTo(new FsListing.Cursor(path, 0));
    assertThat(FsListing.parseCursor(b64("L|" + path), false, run, Optional.of(Stage.phase(1))))
        .isEqualTo(new FsListing.Cursor(path, 0));
    assertThat(FsListing.parseCursor(b64("V|" + path + "|3"), true, run, Optional.empty()))
        .isEqualTo(new FsListing.Cursor(path, 3));
  }

  @Test
  void foreignOrMalformedCursorsAreRefusedWithTheSameMessage() {
    RunId other = RunId.of(LocalDate.of(2026, 11, 28), 43);
    assertRefused("%%%", false, run, Optional.empty());
    assertRefused(b64("V|" + path + "|3"), false, run, Optional.empty());
    assertRefused(b64("L|" + path), true, run, Optional.empty());
    assertRefused(b64("L|" + path), false, other, Optional.empty());
    assertRefused(b64("L|" + path), false, run, Optional.of(Stage.phase(2)));
    assertRefused(b64("L|" + path + "|3"), false, run, Optional.empty());
    assertRefused(b64("V|" + path), true, run, Optional.empty());
    assertRefused(b64("V|" + path + "|x"), true, run, Optional.empty());
    assertRefused(b64("V|" + path + "|3|4"), true, run, Optional.empty());
    assertRefused(b64("L|"), false, run, Optional.empty());
    assertRefused(b64(path.toString()), false, run, Optional.empty());
  }

  private static void assertRefused(
      String cursor, boolean versions, RunId runId, Optional<Stage> stage) {
    assertThatThrownBy(() -> FsListing.parseCursor(cursor, versions, runId, stage))
        .as(cursor)
        .isInstanceOfSatisfying(
            InvalidInputException.class,
            e -> {
              assertThat(e.field()).isEqualTo("cursor");
              assertThat(e.getMessage()).isEqualTo(REFUSAL);
            });
  }
}
