package org.docsgen.store.app.cli;

import java.util.Optional;
import org.docsgen.store.app.http.json.ArtifactJson;
import org.docsgen.store.domain.artifact.ArtifactInfo;
import org.docsgen.store.domain.artifact.ArtifactType;
import org.docsgen.store.domain.run.RunId;
import org.docsgen.store.domain.run.Stage;
import org.docsgen.store.ports.out.Page;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code docsgen ls RUN}: the latest version of each artifact of a run, by path. */
@Command(
    name = "ls",
    mixinStandardHelpOptions = true,
    description = "List a run's artifacts (latest generation of each), sorted by path.")
final class LsCommand extends StoreCommand {
  @Parameters(paramLabel = "RUN")
  RunId run;

  @Option(names = "--stage", paramLabel = "STAGE", description = "only this stage")
  Stage stage;

  @Option(names = "--type", paramLabel = "TYPE", description = "only this artifact type")
  ArtifactType type;

  @Mixin PagingOptions paging;

  static String line(ArtifactInfo a) {
    return String.format(
        "%-60s  g%-3d %-17s %10d  %s", a.path(), a.generation(), a.type(), a.size(), a.hash());
  }

  @Override
  int run() {
    Page<ArtifactInfo> page =
        services()
            .listArtifacts(
                run, Optional.ofNullable(stage), Optional.ofNullable(type), paging.request());
    return printPage(page, ArtifactJson::of, LsCommand::line);
  }
}
