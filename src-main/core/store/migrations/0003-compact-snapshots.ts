// Migration 0003: smaller snapshot rows (a 100k-user first snapshot was ~144 MiB). Applied migrations
// are immutable: the store refuses a database whose recorded hash differs.
export default `
-- Attribute names are stored once per connection; user rows key their attributes by the name's
-- code ({"0": "Sales"} instead of {"department": "Sales"}): the names were ~40% of attributes_json.
CREATE TABLE attribute_names (
  connection_id INTEGER NOT NULL REFERENCES connections(id) ON DELETE CASCADE,
  code INTEGER NOT NULL,
  name TEXT NOT NULL,
  PRIMARY KEY (connection_id, code),
  UNIQUE (connection_id, name)
) STRICT;
INSERT INTO attribute_names (connection_id, code, name)
  SELECT connection_id, row_number() OVER (PARTITION BY connection_id ORDER BY key) - 1, key
  FROM (SELECT DISTINCT v.connection_id, j.key FROM user_versions v, json_each(v.attributes_json) j WHERE v.attributes_json IS NOT NULL);
UPDATE user_versions SET attributes_json = (
    SELECT json_group_object(CAST(n.code AS TEXT), j.value) FROM json_each(user_versions.attributes_json) j
    JOIN attribute_names n ON n.connection_id = user_versions.connection_id AND n.name = j.key)
  WHERE attributes_json IS NOT NULL;

-- The folded correlation keys are kept only where folding changes the value (most userNames and
-- emails are lower case already); the indexes cover the folded-or-original value.
UPDATE user_versions SET user_name_lc = NULL WHERE user_name_lc = user_name;
UPDATE user_versions SET email_lc = NULL WHERE email_lc = email;
-- Correlation joins read only these indexes: each carries the run range and the resource, so
-- neither side of a join touches the table rows. Only rows with an externalId can match on it
-- (IdP exports rarely carry one).
DROP INDEX user_versions_user_name;
DROP INDEX user_versions_email;
DROP INDEX user_versions_external_id;
DROP INDEX user_versions_by_resource;
CREATE INDEX user_versions_user_name ON user_versions (connection_id, coalesce(user_name_lc, user_name), from_run, to_run, resource_id);
CREATE INDEX user_versions_email ON user_versions (connection_id, coalesce(email_lc, email), from_run, to_run, resource_id);
CREATE INDEX user_versions_external_id ON user_versions (connection_id, external_id, from_run, to_run, resource_id) WHERE external_id IS NOT NULL;
CREATE INDEX user_versions_by_resource ON user_versions (resource_id, from_run, to_run);

-- 8 bytes of SHA-256 are plenty to tell a resource's new version from its previous one: the hash is
-- only ever compared with that one resource's earlier version (a false "unchanged": 1 in 2^64).
UPDATE user_versions SET content_hash = substr(content_hash, 1, 8);
UPDATE group_versions SET content_hash = substr(content_hash, 1, 8);
`;
