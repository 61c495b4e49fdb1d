package org.docsgen.store.domain.run;

import static java.util.Objects.requireNonNull;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.docsgen.store.domain.InvalidValueException;

/**
 * The names of the core documentation files a run's bundle must hold. Names are file names (the
 * last segment of a logical path), kept sorted and unique. DocsGen's standard set has 43 names and
 * is the default when a run declares none.
 */
public record CoreFileSet(List<String> names) {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]+");
  private static final String STANDARD_RESOURCE = "standard-core-files.txt";
  private static final CoreFileSet STANDARD = loadStandard();

  public CoreFileSet {
    requireNonNull(names, "names is null");
    TreeSet<String> sorted = new TreeSet<>();
    for (String name : names) {
      requireNonNull(name, "core file name is null");
      if (!NAME.matcher(name).matches() || name.equals(".") || name.equals("..")) {
        throw new InvalidValueException(
            "coreFiles",
            "core file names are file names of [A-Za-z0-9._-]+ (no '/', not '.' or '..'), was '"
                + RunId.printable(name)
                + "'");
      }
      if (!sorted.add(name)) {
        throw new InvalidValueException("coreFiles", "core file '" + name + "' is listed twice");
      }
    }
    if (sorted.isEmpty()) {
      throw new InvalidValueException("coreFiles", "a core file set needs at least one name");
    }
    names = List.copyOf(sorted);
  }

  public static CoreFileSet of(Collection<String> names) {
    for (String name : names) {
      if (name == null) { // List.copyOf would throw a NullPointerException: a 500 for bad input
        throw new InvalidValueException(
            "coreFiles", "a core file name is null: give each as a string");
      }
    }
    return new CoreFileSet(List.copyOf(names));
  }

  /** DocsGen's standard set of 43 core documentation files. */
  public static CoreFileSet standard() {
    return STANDARD;
  }

  public boolean contains(String fileName) {
    return names.contains(fileName);
  }

  public int size() {
    return names.size();
  }

  private static CoreFileSet loadStandard() {
    try (InputStream in = CoreFileSet.class.getResourceAsStream(STANDARD_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + STANDARD_RESOURCE);
      }
      List<String> names = new ArrayList<>();
      BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      for (String line; (line = reader.readLine()) != null; ) {
        String trimmed = line.strip();
        if (!trimmed.isEmpty() && !trimmed.startsWith("#")) {
          names.add(trimmed);
        }
      }
      return new CoreFileSet(names);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
