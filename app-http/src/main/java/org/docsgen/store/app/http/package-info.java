/** DocsGen Store: app-http. */
package org.docsgen.store.app.http;
