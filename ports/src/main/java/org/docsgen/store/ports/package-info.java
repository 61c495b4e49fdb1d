/**
 * Ports of DocsGen Store: the inbound use cases ({@code in}), the outbound storage ports and their
 * value types ({@code out}), the port exception family ({@code error}), the store guard every
 * {@code ArtifactStore} shares ({@code guard}), streaming helpers ({@code stream}), and the
 * application services that implement the use cases against the outbound ports.
 */
package org.docsgen.store.ports;
