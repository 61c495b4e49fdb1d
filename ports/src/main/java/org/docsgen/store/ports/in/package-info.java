/** Inbound ports: the use cases DocsGen Store offers to its entry points (HTTP, CLI). */
package org.docsgen.store.ports.in;
