package org.docsgen.store.app.cli;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.docsgen.store.app.http.json.ArtifactJson;
import org.docsgen.store.domain.artifact.ArtifactType;
import org.docsgen.store.domain.artifact.LogicalPath;
import org.docsgen.store.domain.execution.PhaseExecution;
import org.docsgen.store.ports.out.WriteResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code docsgen put PATH [FILE|-]}: write one artifact, streamed from a file or stdin. */
@Command(
    name = "put",
    mixinStandardHelpOptions = true,
    description = {
      "Write an artifact, streamed from a file or stdin.",
      "PATH is <runId>/<stage>/<name>; FILE '-' or absent reads stdin. The write belongs to the stage's RUNNING execution (--start opens one)."
    })
final class PutCommand extends StoreCommand {
  @Parameters(index = "0", paramLabel = "PATH", description = "logical path <runId>/<stage>/<name>")
  LogicalPath path;

  @Parameters(index = "1", arity = "0..1", paramLabel = "FILE", description = "default: stdin")
  String file;

  @Option(
      names = "--type",
      paramLabel = "TYPE",
      defaultValue = "DOCUMENTATION",
      description = "DOCUMENTATION (default), VALIDATION_REPORT, PLAN or OTHER")
  ArtifactType type;

  @Option(
      names = "--media-type",
      paramLabel = "TYPE",
      description = "default: by file extension (.md text/markdown, .json application/json, ...)")
  String mediaType;

  @Option(names = "--start", description = "start the stage's next execution first")
  boolean start;

  @Option(names = "--create-only", description = "refuse if the path exists (exit 1)")
  boolean createOnly;

  @Option(
      names = "--overwrite",
      description = "ask the immutability policy for an overwrite token when the path exists")
  boolean overwrite;

  @Option(names = "--overwrite-token", paramLabel = "TOKEN", description = "a token to present")
  String overwriteToken;

  @Override
  int run() throws Exception {
    LogicalPath target = path;
    ArtifactType artifactType = type;
    boolean fromStdin = file == null || file.equals("-");
    Path source = fromStdin ? null : terminal().resolve(Path.of(file));
    if (source != null && !Files.isRegularFile(source)) {
      throw CliException.badInput(source + " is not a readable file");
    }
    String actor = cli().actor();
    PhaseExecution started = null;
    if (start) {
      started = services().start(target.runId(), target.stage(), actor);
      progress("started " + ExecCommands.label(started.ref()));
    }
    ArtifactWrites.Options options =
        new ArtifactWrites.Options(
            artifactType,
            mediaType,
            createOnly,
            overwriteToken,
            overwrite,
            cli().session().config().server().maxArtifactBytes());
    WriteResult result;
    try (InputStream in = fromStdin ? terminal().in() : Files.newInputStream(source)) {
      result = ArtifactWrites.write(services(), target, options, actor, in);
    } catch (RuntimeException e) {
      if (started != null) {
        progress(ExecCommands.label(started.ref()) + " is still RUNNING");
      }
      throw e;
    }
    if (json()) {
      printJson(ArtifactJson.of(result.info()));
    } else {
      out().println(ArtifactWrites.describe(result));
    }
    return ExitCodes.OK;
  }
}
