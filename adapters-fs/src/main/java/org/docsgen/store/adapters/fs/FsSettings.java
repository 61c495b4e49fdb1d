package org.docsgen.store.adapters.fs;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;

/**
 * Configuration of the filesystem artifact store: the root directory that holds every artifact
 * (created on start when missing). The root may itself be reached through a symbolic link; inside
 * it, the store never follows one.
 */
public record FsSettings(Path root) {
  public FsSettings {
    requireNonNull(root, "root is null");
  }
}
