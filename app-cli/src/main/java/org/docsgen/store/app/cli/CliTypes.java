package org.docsgen.store.app.cli;

import java.util.function.Function;
import org.docsgen.store.domain.artifact.ArtifactType;
import org.docsgen.store.domain.artifact.LogicalPath;
import org.docsgen.store.domain.issue.Severity;
import org.docsgen.store.domain.run.RunId;
import org.docsgen.store.domain.run.Stage;
import picocli.CommandLine;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * The domain's types as picocli argument types: a command declares {@code RunId run} and receives a
 * parsed value. A value that does not parse is refused while the line is read, before any store
 * opens, with the domain grammar's own message (exit 2, {@link ExitCodes#BAD_INPUT}).
 */
final class CliTypes {
  private CliTypes() {}

  static CommandLine register(CommandLine line) {
    return line.registerConverter(RunId.class, parsedBy(RunId::parse))
        .registerConverter(Stage.class, parsedBy(Stage::parse))
        .registerConverter(LogicalPath.class, parsedBy(LogicalPath::parse))
        .registerConverter(ArtifactType.class, parsedBy(ArtifactType::parse))
        .registerConverter(Severity.class, parsedBy(Severity::parse));
  }

  private static <T> ITypeConverter<T> parsedBy(Function<String, T> parse) {
    return text -> {
      try {
        return parse.apply(text);
      } catch (IllegalArgumentException e) { // the domain grammar's InvalidValueException
        // picocli prints this message after the option or parameter it belongs to
        throw new TypeConversionException(e.getMessage());
      }
    };
  }
}
