/**
 * The DocsGen Store domain: runs, stages, logical paths, artifacts, executions, validation issues,
 * approvals, bundle rules and the immutability policy. Pure Java, no I/O, no framework.
 */
package org.docsgen.store.domain;
