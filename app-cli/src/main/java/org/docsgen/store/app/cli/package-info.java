/** DocsGen Store: app-cli. */
package org.docsgen.store.app.cli;
