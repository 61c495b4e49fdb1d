-- The audit records never change once written: approvals (append-only), bundles and their
-- entries (one per run, immutable). Same meaning as sqlite/V2__append_only.sql.
CREATE FUNCTION docsgen_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only', TG_TABLE_NAME;
END
$$;
CREATE TRIGGER approvals_append_only BEFORE UPDATE OR DELETE ON approvals
  FOR EACH ROW EXECUTE FUNCTION docsgen_refuse_change();
CREATE TRIGGER bundles_append_only BEFORE UPDATE OR DELETE ON bundles
  FOR EACH ROW EXECUTE FUNCTION docsgen_refuse_change();
CREATE TRIGGER bundle_entries_append_only BEFORE UPDATE OR DELETE ON bundle_entries
  FOR EACH ROW EXECUTE FUNCTION docsgen_refuse_change();
