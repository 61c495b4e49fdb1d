package org.docsgen.store.app.cli;

/**
 * A failure the command line detects itself (a bad option combination, a failing gate, a bundle
 * that does not verify), carrying its exit code and a hint saying what to fix.
 */
final class CliException extends RuntimeException {
  private final int exitCode;
  private final String hint;

  CliException(int exitCode, String message, String hint) {
    super(message);
    this.exitCode = exitCode;
    this.hint = hint;
  }

  static CliException badInput(String message) {
    return new CliException(ExitCodes.BAD_INPUT, message, null);
  }

  int exitCode() {
    return exitCode;
  }

  String hint() {
    return hint;
  }
}
