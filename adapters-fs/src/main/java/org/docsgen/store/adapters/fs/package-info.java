/**
 * {@link org.docsgen.store.ports.out.ArtifactStore} on a local filesystem. Public surface: {@link
 * org.docsgen.store.adapters.fs.FsArtifactModule} and {@link
 * org.docsgen.store.adapters.fs.FsSettings}; everything else is package-private. The on-disk layout
 * is documented in {@code docs/storage-layout.md} and in {@link
 * org.docsgen.store.adapters.fs.FsLayout}.
 */
package org.docsgen.store.adapters.fs;
