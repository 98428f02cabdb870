import type { Db } from './database';

export type ConnectionRole = 'idp' | 'app';

export interface ConnectionRow {
  id: number;
  name: string;
  role: ConnectionRole;
  type: string;
  configJson: string;
  capabilitiesJson: string | null;
}

/** Creates or updates a connection by name; the config JSON holds secret references only. */
export function upsertConnection(db: Db, c: { name: string; role: ConnectionRole; type: string; configJson: string }): number {
  const now = new Date().toISOString();
  const row = db
    .prepare(
      `INSERT INTO connections (name, role, type, config_json, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (name) DO UPDATE SET role = excluded.role, type = excluded.type, config_json = excluded.config_json,
         updated_at = CASE WHEN config_json = excluded.config_json AND role = excluded.role THEN updated_at ELSE excluded.updated_at END
       RETURNING id`,
    )
    .get(c.name, c.role, c.type, c.configJson, now, now) as { id: number };
  return row.id;
}

export function getConnectionByName(db: Db, name: string): ConnectionRow | undefined {
  return db
    .prepare(
      `SELECT id, name, role, type, config_json AS configJson, capabilities_json AS capabilitiesJson
       FROM connections WHERE name = ?`,
    )
    .get(name) as ConnectionRow | undefined;
}

export function setCapabilities(db: Db, connectionId: number, capabilities: unknown): void {
  db.prepare('UPDATE connections SET capabilities_json = ? WHERE id = ?').run(JSON.stringify(capabilities), connectionId);
}

export function listConnections(db: Db): ConnectionRow[] {
  return db
    .prepare(
      `SELECT id, name, role, type, config_json AS configJson, capabilities_json AS capabilitiesJson
       FROM connections ORDER BY CASE role WHEN 'idp' THEN 0 ELSE 1 END, name`,
    )
    .all() as ConnectionRow[];
}

/** Renames a connection in place, keeping its history. */
export function renameConnection(db: Db, from: string, to: string): void {
  db.prepare('UPDATE connections SET name = ?, updated_at = ? WHERE name = ?').run(to, new Date().toISOString(), from);
}

/** Deletes a connection with its snapshots, runs and findings. */
export function deleteConnection(db: Db, id: number): void {
  db.transaction(() => {
    // Versions and memberships carry no foreign keys (see 0001): delete them explicitly.
    db.prepare('DELETE FROM user_versions WHERE connection_id = ?').run(id);
    db.prepare('DELETE FROM group_versions WHERE connection_id = ?').run(id);
    db.prepare('DELETE FROM memberships WHERE connection_id = ?').run(id);
    db.prepare('DELETE FROM connections WHERE id = ?').run(id);
  })();
}
