/**
 * Outbound ports: {@link org.docsgen.store.ports.out.ArtifactStore} and {@link
 * org.docsgen.store.ports.out.ManifestStore}, and the value types their signatures use.
 */
package org.docsgen.store.ports.out;
