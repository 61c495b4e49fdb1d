package org.docsgen.store.app.http.routes;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import java.util.stream.Collectors;

/**
 * What is wrong with a JSON body, in JSON's terms for the client who sent it: the field at fault,
 * what it should have been, where in the text. Jackson's own words name the server's Java classes,
 * which a problem never shows.
 */
final class JsonProblems {
  private JsonProblems() {}

  static String describe(JacksonException e) {
    String where = "";
    if (e instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
      where =
          "field '"
              + mapping.getPath().stream()
                  .map(
                      ref ->
                          ref.getFieldName() != null
                              ? ref.getFieldName()
                              : "[" + ref.getIndex() + "]")
                  .collect(Collectors.joining("."))
                  .replace(".[", "[")
              + "': ";
    }
    if (e instanceof UnrecognizedPropertyException unknown) {
      return where
          + "unknown field; known fields are "
          + unknown.getKnownPropertyIds().stream().map(Object::toString).sorted().toList();
    }
    JsonLocation location = e.getLocation();
    String at =
        location == null || location.getLineNr() < 0
            ? ""
            : " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
    if (e instanceof MismatchedInputException mismatch) {
      // Jackson's own words name the server's Java classes (`org.docsgen…Requests$Decide`)
      return where + expected(mismatch) + at;
    }
    String message = e.getOriginalMessage();
    int newline = message.indexOf('\n');
    String first = newline < 0 ? message : message.substring(0, newline);
    return where + first.replaceAll("`[^`]*`", "the value") + at;
  }

  /** What a value of the wrong JSON shape should have been, in JSON's terms. */
  private static String expected(MismatchedInputException e) {
    Class<?> target = e.getTargetType();
    if (target != null && target.isEnum()) {
      String values =
          java.util.Arrays.stream(target.getEnumConstants())
              .map(Object::toString)
              .collect(Collectors.joining(", ", "[", "]"));
      return e instanceof InvalidFormatException invalid
          ? "'" + Params.printable(String.valueOf(invalid.getValue())) + "' is not one of " + values
          : "expected one of " + values;
    }
    String kind;
    if (target == null) {
      kind = "another JSON value";
    } else if (CharSequence.class.isAssignableFrom(target)) {
      kind = "a string";
    } else if (Number.class.isAssignableFrom(target)
        || (target.isPrimitive() && target != boolean.class)) {
      kind = "a number";
    } else if (target == Boolean.class || target == boolean.class) {
      kind = "true or false";
    } else if (target.isArray() || java.util.Collection.class.isAssignableFrom(target)) {
      kind = "an array";
    } else {
      kind = "an object";
    }
    return e instanceof InvalidFormatException invalid
        ? "'"
            + Params.printable(String.valueOf(invalid.getValue()))
            + "' is not valid here: expected "
            + kind
        : "expected " + kind;
  }
}
