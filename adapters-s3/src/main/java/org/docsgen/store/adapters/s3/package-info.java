/**
 * {@link org.docsgen.store.ports.out.ArtifactStore} on S3 or any S3-compatible endpoint (AWS SDK
 * v2). Public: {@link org.docsgen.store.adapters.s3.S3ArtifactModule} and {@link
 * org.docsgen.store.adapters.s3.S3Settings}; everything else is package-private.
 */
package org.docsgen.store.adapters.s3;
