package org.docsgen.store.app.cli;

import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.docsgen.store.app.http.config.ConfigLoader;
import org.docsgen.store.app.http.config.ConfigLoader.Purpose;
import org.docsgen.store.app.http.config.ServerConfig;
import org.docsgen.store.app.http.wiring.Bootstrap;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * {@code docsgen}: the command line for local runs and {@code serve}. Options {@code --config},
 * {@code --actor}, {@code --json} and {@code --verbose} may be given anywhere on the line. Tests
 * run it in-process through {@link #execute}.
 */
@Command(
    name = "docsgen",
    mixinStandardHelpOptions = true,
    version = "docsgen 0.1.0",
    description = "DocsGen Store: immutable artifacts and their manifest, from the command line.",
    subcommands = {
      RunCommands.class,
      ExecCommands.class,
      PutCommand.class,
      GetCommand.class,
      LsCommand.class,
      ImportCommand.class,
      IssueCommands.class,
      GateCommand.class,
      ApproveCommand.class,
      BundleCommand.class,
      VerifyCommand.class,
      KeysCommand.class,
      DiffCommand.class,
      FsckCommand.class,
      ServeCommand.class
    },
    footerHeading = "%n",
    footer = {
      "Configuration: --config FILE, else $DOCSGEN_CONFIG, else ./docsgen.yaml, else",
      "the embedded default (filesystem + SQLite under ./docsgen-data).",
      "DOCSGEN_<KEY_PATH> overrides one key, e.g. DOCSGEN_MANIFEST_URL.",
      "The actor recorded is --actor, else the OS user name (user.name).",
      "",
      "Exit codes: 0 ok, 1 refused by a rule (immutability, gate), 2 bad input,",
      "3 backend failure, 4 integrity failure (content does not match its hash)."
    })
public final class DocsGenCli implements Callable<Integer> {
  @Option(
      names = "--config",
      paramLabel = "FILE",
      scope = ScopeType.INHERIT,
      description = "configuration file (see below)")
  Path configFile;

  @Option(
      names = "--actor",
      paramLabel = "NAME",
      scope = ScopeType.INHERIT,
      description = "who is recorded as acting (default: the OS user name)")
  String actor;

  @Option(
      names = "--json",
      scope = ScopeType.INHERIT,
      description = "machine-readable JSON on stdout (the HTTP API's field names)")
  boolean json;

  @Option(
      names = "--verbose",
      scope = ScopeType.INHERIT,
      description = "show stack traces of failures")
  boolean verbose;

  @Spec CommandSpec spec;

  private final Terminal terminal;
  private Bootstrap session;

  private DocsGenCli(Terminal terminal) {
    this.terminal = terminal;
  }

  /** The process entry point: runs the command and exits with its code. */
  public static void main(String[] args) {
    if (System.getProperty("logback.configurationFile") == null) {
      System.setProperty("logback.configurationFile", "docsgen-cli-logback.xml");
    }
    System.exit(execute(args, System.getenv(), Path.of(""), System.in, System.out, System.err));
  }

  /**
   * Runs one command line against the given environment, working directory and streams; returns the
   * exit code (see {@link ExitCodes}). Never throws.
   */
  public static int execute(
      String[] args,
      Map<String, String> env,
      Path workingDir,
      InputStream in,
      PrintStream out,
      PrintStream err) {
    Terminal terminal = new Terminal(env, workingDir.toAbsolutePath(), in, out, err);
    DocsGenCli root = new DocsGenCli(terminal);
    CommandLine line = CliTypes.register(new CommandLine(root));
    line.setOut(new PrintWriter(out, true, StandardCharsets.UTF_8));
    line.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
    line.setExitCodeExceptionMapper(e -> ExitCodes.classify(e).code());
    line.setExecutionExceptionHandler((e, cmd, parsed) -> root.report(e));
    line.setParameterExceptionHandler(
        (e, given) -> {
          String hint = "try: " + e.getCommandLine().getCommandSpec().qualifiedName() + " --help";
          if (List.of(given).contains("--json")) {
            // the line may not have been read as far as --json: look at it directly
            err.println(
                ErrorJson.of(new ExitCodes.Failure(ExitCodes.BAD_INPUT, e.getMessage(), hint)));
            return ExitCodes.BAD_INPUT;
          }
          err.println("docsgen: " + e.getMessage());
          CommandLine.UnmatchedArgumentException.printSuggestions(e, err);
          err.println(hint);
          return ExitCodes.BAD_INPUT;
        });
    try {
      return line.execute(args);
    } finally {
      root.closeSession();
    }
  }

  @Override
  public Integer call() {
    terminal.err().println("docsgen: a command is required");
    spec.commandLine().usage(terminal.err());
    return ExitCodes.BAD_INPUT;
  }

  Terminal terminal() {
    return terminal;
  }

  boolean json() {
    return json;
  }

  /** {@code --actor}, else the OS user name ({@code user.name}). */
  String actor() {
    String name = actor != null ? actor : System.getProperty("user.name", "");
    if (name == null || name.isBlank()) {
      throw CliException.badInput("no actor: pass --actor NAME (the OS user name is unknown)");
    }
    return name.strip();
  }

  /** The stores, opened on first use with the local configuration. */
  Bootstrap session() {
    if (session == null) {
      session = Bootstrap.open(config(false));
    }
    return session;
  }

  /**
   * The configuration as the server reads it ({@code forServer}) or for local commands, which need
   * no API token: a docsgen.yaml written for the CLI alone need not list {@code auth.tokens}
   * (tokens that are listed are still checked).
   */
  ServerConfig config(boolean forServer) {
    return ConfigLoader.load(
        forServer ? Purpose.SERVER : Purpose.LOCAL,
        Optional.ofNullable(configFile).map(terminal::resolve),
        terminal.env(),
        terminal.workingDir());
  }

  private int report(Exception e) {
    ExitCodes.Failure failure = ExitCodes.classify(e);
    PrintStream err = terminal.err();
    if (json) {
      err.println(ErrorJson.of(failure));
    } else {
      err.println("docsgen: " + failure.message());
      if (failure.failing() != null) {
        GateCommand.printFailing(err, failure.failing());
      }
      if (failure.hint() != null) {
        err.println("  hint: " + failure.hint());
      }
    }
    if (verbose) {
      e.printStackTrace(err);
    }
    return failure.code();
  }

  private void closeSession() {
    if (session != null) {
      session.close();
      session = null;
    }
  }
}
