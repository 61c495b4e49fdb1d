package org.docsgen.store.app.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.docsgen.store.app.http.json.ArtifactJson;
import org.docsgen.store.app.http.json.ExecutionJson;
import org.docsgen.store.domain.InvalidValueException;
import org.docsgen.store.domain.artifact.ArtifactInfo;
import org.docsgen.store.domain.artifact.ArtifactType;
import org.docsgen.store.domain.artifact.LogicalPath;
import org.docsgen.store.domain.execution.ExecutionStatus;
import org.docsgen.store.domain.execution.PhaseExecution;
import org.docsgen.store.domain.run.RunId;
import org.docsgen.store.domain.run.Stage;
import org.docsgen.store.ports.out.WriteResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code docsgen import DIR --run RUN --stage STAGE}: writes every regular file under DIR as {@code
 * <run>/<stage>/<relative path>}. Every path is checked before anything is written; a write that
 * fails stops the import and leaves the execution RUNNING (re-running the import rewrites identical
 * files as no-ops).
 */
@Command(
    name = "import",
    mixinStandardHelpOptions = true,
    description = {
      "Write every file under a directory as artifacts of one stage.",
      "Each file becomes <run>/<stage>/<relative path>, written into the stage's RUNNING execution (--start opens one; --finish STATUS closes it once every file is written)."
    })
final class ImportCommand extends StoreCommand {
  @Parameters(paramLabel = "DIR")
  String dir;

  @Option(names = "--run", required = true, paramLabel = "RUN")
  RunId run;

  @Option(names = "--stage", required = true, paramLabel = "STAGE")
  Stage stage;

  @Option(
      names = "--type",
      paramLabel = "TYPE",
      defaultValue = "DOCUMENTATION",
      description = "type of every file (default DOCUMENTATION)")
  ArtifactType type;

  @Option(names = "--start", description = "start the stage's next execution first")
  boolean start;

  @Option(
      names = "--finish",
      paramLabel = "STATUS",
      description = "finish the execution afterwards: SUCCEEDED, FAILED or GATE_FAILED")
  String finish;

  @Option(names = "--error", paramLabel = "TEXT", description = "error text for --finish")
  String error;

  @Option(
      names = "--overwrite",
      description = "ask the policy for overwrite tokens for paths that exist (re-execution)")
  boolean overwrite;

  /** The machine-readable outcome. */
  record ImportJson(ExecutionJson execution, List<ArtifactJson> artifacts) {}

  private record Source(Path file, LogicalPath path) {}

  @Override
  int run() throws IOException {
    RunId runId = run;
    Stage target = stage;
    ArtifactType artifactType = type;
    ExecutionStatus finishAs = finish == null ? null : ExecCommands.finishStatus(finish);
    List<Source> sources = sources(terminal().resolve(Path.of(dir)), runId, target);
    String actor = cli().actor();
    PhaseExecution execution;
    if (start) {
      execution = services().start(runId, target, actor);
      progress("started " + ExecCommands.label(execution.ref()));
    } else {
      execution = running(runId, target).orElse(null);
    }
    ArtifactWrites.Options options =
        new ArtifactWrites.Options(
            artifactType,
            null,
            false,
            null,
            overwrite,
            cli().session().config().server().maxArtifactBytes());
    List<ArtifactInfo> written = writeAll(sources, options, actor, execution);
    if (finishAs != null && execution != null) {
      execution = services().finish(execution.ref(), finishAs, error, actor);
      progress("finished " + ExecCommands.label(execution.ref()) + " " + execution.status());
    }
    report(execution, written);
    return ExitCodes.OK;
  }

  /** Writes the files in order, one progress line each; the first failure stops the import. */
  private List<ArtifactInfo> writeAll(
      List<Source> sources, ArtifactWrites.Options options, String actor, PhaseExecution execution)
      throws IOException {
    List<ArtifactInfo> written = new ArrayList<>();
    for (Source source : sources) {
      WriteResult result;
      try (InputStream in = Files.newInputStream(source.file())) {
        result = ArtifactWrites.write(services(), source.path(), options, actor, in);
      } catch (RuntimeException | IOException e) {
        progress(
            "import stopped at "
                + source.path()
                + " after "
                + written.size()
                + " of "
                + sources.size()
                + " files"
                + (execution == null
                    ? ""
                    : "; " + ExecCommands.label(execution.ref()) + " is still RUNNING"));
        throw e;
      }
      written.add(result.info());
      progress(
          "[" + written.size() + "/" + sources.size() + "] " + ArtifactWrites.describe(result));
    }
    return written;
  }

  private void report(PhaseExecution execution, List<ArtifactInfo> written) {
    if (json()) {
      printJson(
          new ImportJson(
              execution == null ? null : ExecutionJson.of(execution, written),
              written.stream().map(ArtifactJson::of).toList()));
      return;
    }
    out()
        .println(
            "imported "
                + written.size()
                + " files"
                + (execution == null
                    ? ""
                    : " into "
                        + ExecCommands.label(execution.ref())
                        + " ("
                        + execution.status()
                        + ")"));
  }

  /** Every regular file under {@code root}, sorted, with its logical path; all checked first. */
  private static List<Source> sources(Path root, RunId runId, Stage stage) throws IOException {
    if (!Files.isDirectory(root)) {
      throw CliException.badInput(root + " is not a directory");
    }
    List<Source> sources = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path file : walk.filter(Files::isRegularFile).sorted().toList()) {
        String relative =
            root.relativize(file).toString().replace(file.getFileSystem().getSeparator(), "/");
        try {
          sources.add(new Source(file, LogicalPath.of(runId, stage, relative)));
        } catch (InvalidValueException e) {
          throw CliException.badInput(
              file + " cannot be imported: " + e.getMessage() + " (nothing was written)");
        }
      }
    }
    if (sources.isEmpty()) {
      throw CliException.badInput(root + " holds no files");
    }
    return sources;
  }
}
