import { hash } from 'node:crypto';
import type { FindingType } from '../../contract/findings';

/**
 * A stable, short key: the same drift on the same objects gets the same key in every analysis,
 * so a finding keeps its history (first seen, resolved, reopened). Built from store ids and remote
 * ids, never from display names that can change.
 */
export function findingKey(type: FindingType, appConnectionId: number, ...subject: string[]): string {
  return `F-${hash('sha256', [type, String(appConnectionId), ...subject].join('\u0000'), 'hex').slice(0, 16)}`;
}
