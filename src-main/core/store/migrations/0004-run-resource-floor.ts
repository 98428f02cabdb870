// Migration 0004: a failed run also removes the resources (stable identities) it created. Applied
// migrations are immutable: the store refuses a database whose recorded hash differs.
export default `
-- The largest resources.id when the run began. Only one run per connection runs at a time, so every
-- resource of the run's connection above it was created by that run; failing the run deletes them.
ALTER TABLE sync_runs ADD COLUMN resource_floor INTEGER;

-- Resources left behind by runs that failed before this migration: nothing refers to them (every
-- resource a complete run creates gets a version or a membership row, which history keeps).
DELETE FROM resources WHERE id NOT IN (
  SELECT resource_id FROM user_versions UNION SELECT resource_id FROM group_versions
  UNION SELECT group_id FROM memberships UNION SELECT member_id FROM memberships);
`;
