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
