import type { ConnectionDto } from '../../../../src-main/contract/dto';
import { getPath } from './connection-draft';

/** A connection's config in a few label/value lines for its card. */
export function summarize(connection: ConnectionDto): Array<{ label: string; value: string; mono?: boolean }> {
  const c = connection.config;
  const text = (path: string): string => {
    const v = getPath(c, path);
    return typeof v === 'string' ? v : '';
  };
  const items = (path: string): Record<string, unknown>[] => {
    const v = getPath(c, path);
    return Array.isArray(v) ? v.filter((x): x is Record<string, unknown> => x !== null && typeof x === 'object') : [];
  };
  switch (connection.type) {
    case 'scim': {
      const scopeGroups = getPath(c, 'scope.groups');
      const rules = items('match').map((m) => `${String(m.app)} ↔ ${String(m.idp)}`);
      const groupMatch = text('groups.match');
      return [
        { label: 'Base URL', value: text('baseUrl'), mono: true },
        { label: 'Auth', value: text('auth.type') === 'basic' ? `Basic, as ${text('auth.username')}` : 'Bearer token' },
        { label: 'Correlation', value: rules.length > 0 ? rules.join(', then ') : 'userName ↔ userName', mono: true },
        {
          label: 'Scope',
          value: text('scope.type') === 'groups' && Array.isArray(scopeGroups) ? `Members of ${scopeGroups.map(String).join(', ')}` : 'Everyone in the IdP',
        },
        { label: 'Attributes', value: `${items('attributes').length} mapped` },
        { label: 'Groups', value: groupMatch ? `Paired by ${groupMatch}` : 'Not compared' },
      ];
    }
    case 'okta':
      return [{ label: 'Org URL', value: text('orgUrl'), mono: true }];
    case 'csv':
      return [
        { label: 'File', value: text('path'), mono: true },
        { label: 'Delimiter', value: text('delimiter') || ',' },
      ];
  }
}
