/** DocsGen Store: adapters-fs. */
package org.docsgen.store.adapters.fs;
