import type { Db } from './database';

// user_versions.attributes_json keys each attribute by a per-connection code instead of its name
// (see 0003-compact-snapshots): {"0": "Sales"} rather than {"department": "Sales"}.

type Attributes = Record<string, string | null>;

/** The writer's side: names to codes, registering a name the first time the connection sees it. */
export function attributeEncoder(db: Db, connectionId: number): (attributes: Attributes) => string | null {
  const codes = new Map(attributeNames(db, connectionId).map((name, code) => [name, code]));
  const insert = db.prepare('INSERT INTO attribute_names (connection_id, code, name) VALUES (?, ?, ?)');
  const codeOf = (name: string): number => {
    let code = codes.get(name);
    if (code === undefined) {
      code = codes.size;
      insert.run(connectionId, code, name);
      codes.set(name, code);
    }
    return code;
  };
  // Written as text directly, in ascending code order with JSON.stringify's escaping: exactly what
  // JSON.stringify makes of {code: value}, which the drift pre-comparison's json_object() text must
  // equal, without building that object for every user of a sync.
  return (attributes) => {
    const entries: Array<[number, string | null]> = [];
    for (const name in attributes) {
      const value = attributes[name];
      if (Object.hasOwn(attributes, name) && value !== undefined) entries.push([codeOf(name), value]);
    }
    if (entries.length === 0) return null;
    entries.sort((a, b) => a[0] - b[0]);
    let json = '';
    for (const [code, value] of entries) json += `${json === '' ? '{' : ','}"${code}":${JSON.stringify(value)}`;
    return `${json}}`;
  };
}

/** The names of a connection's attribute codes, indexed by code. */
export function attributeNames(db: Db, connectionId: number): string[] {
  const names: string[] = [];
  for (const [code, name] of db.prepare('SELECT code, name FROM attribute_names WHERE connection_id = ?').raw().iterate(connectionId) as IterableIterator<
    [number, string]
  >) {
    names[code] = name;
  }
  return names;
}

/** The readers' side: a stored attributes_json back to names. */
export function attributeDecoder(db: Db, connectionId: number): (json: string | null) => Attributes {
  const names = attributeNames(db, connectionId);
  return (json) => {
    const out: Attributes = {};
    if (json === null) return out;
    for (const [code, value] of Object.entries(JSON.parse(json) as Attributes)) {
      const name = names[Number(code)];
      if (name !== undefined) out[name] = value;
    }
    return out;
  };
}
