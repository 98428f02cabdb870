// Migration 0005: every account's `active` read from an index alone. Applied migrations are
// immutable: the store refuses a database whose recorded hash differs.
export default `
-- Analysis reads the resource and \`active\` of every user of both snapshots. Through the old
-- (connection_id, from_run) index that was a table row visit per user (~0.25 s per 100k); this one
-- carries what the snapshot filter and the reader need. Same name: queries that force it keep working.
DROP INDEX user_versions_by_run;
CREATE INDEX user_versions_by_run ON user_versions (connection_id, from_run, to_run, resource_id, active);
`;
