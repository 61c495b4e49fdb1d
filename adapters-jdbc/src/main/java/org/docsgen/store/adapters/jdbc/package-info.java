/** DocsGen Store: adapters-jdbc. */
package org.docsgen.store.adapters.jdbc;
