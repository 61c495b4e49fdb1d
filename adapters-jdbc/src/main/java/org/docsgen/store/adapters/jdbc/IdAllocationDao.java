package org.docsgen.store.adapters.jdbc;

import org.jdbi.v3.sqlobject.statement.SqlQuery;

/**
 * Hands out blocks of ids ({@code issues}, {@code approvals}, {@code blobs}) the same way on both
 * databases: the row update locks the counter, so concurrent allocations get disjoint blocks.
 * Callers allocate in a short transaction of their own, like a database sequence: ids are unique
 * and increase in allocation order; a rolled-back insert leaves a gap.
 */
interface IdAllocationDao {
  /** Reserves {@code count} ids and returns the last; the block is {@code last-count+1..last}. */
  @SqlQuery(
      "UPDATE id_allocations SET last_id = last_id + :count WHERE name = :name RETURNING last_id")
  long reserve(String name, int count);
}
