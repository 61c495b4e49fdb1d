-- The audit records never change once written: approvals (append-only), bundles and their
-- entries (one per run, immutable). Same meaning as postgresql/V2__append_only.sql.
CREATE TRIGGER approvals_no_update BEFORE UPDATE ON approvals
BEGIN SELECT RAISE(ABORT, 'approvals are append-only'); END;
CREATE TRIGGER approvals_no_delete BEFORE DELETE ON approvals
BEGIN SELECT RAISE(ABORT, 'approvals are append-only'); END;
CREATE TRIGGER bundles_no_update BEFORE UPDATE ON bundles
BEGIN SELECT RAISE(ABORT, 'bundles are immutable'); END;
CREATE TRIGGER bundles_no_delete BEFORE DELETE ON bundles
BEGIN SELECT RAISE(ABORT, 'bundles are immutable'); END;
CREATE TRIGGER bundle_entries_no_update BEFORE UPDATE ON bundle_entries
BEGIN SELECT RAISE(ABORT, 'bundle entries are immutable'); END;
CREATE TRIGGER bundle_entries_no_delete BEFORE DELETE ON bundle_entries
BEGIN SELECT RAISE(ABORT, 'bundle entries are immutable'); END;
