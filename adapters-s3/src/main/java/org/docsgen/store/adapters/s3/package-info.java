/** DocsGen Store: adapters-s3. */
package org.docsgen.store.adapters.s3;
