import type { MatchRule } from '../config/schema';
import type { KeyField } from './types';

const APP_KEYS: Record<string, KeyField> = {
  id: 'id',
  externalid: 'externalId',
  username: 'userName',
  emails: 'email',
  'emails.value': 'email',
  'emails[type eq "work"].value': 'email',
  'emails[primary eq true].value': 'email',
};

const IDP_KEYS: Record<string, KeyField> = {
  id: 'id',
  externalid: 'externalId',
  username: 'userName',
  login: 'userName',
  email: 'email',
};

export interface CompiledRule {
  appKey: KeyField;
  idpKey: KeyField;
  fold: boolean;
  label: string;
}

/** The app-side keys correlation supports (each indexed at ingest). */
export const SUPPORTED_APP_KEYS = ['id', 'externalId', 'userName', 'emails', 'emails[type eq "work"].value', 'emails[primary eq true].value'];
export const SUPPORTED_IDP_KEYS = ['id', 'externalId', 'userName', 'login', 'email'];

export function appKeyOf(path: string): KeyField | undefined {
  return APP_KEYS[path.trim().replace(/\s+/g, ' ').toLowerCase()];
}

export function idpKeyOf(name: string): KeyField | undefined {
  return IDP_KEYS[name.trim().toLowerCase()];
}

/**
 * A config rule as joinable keys. Case rules follow RFC 7643: userName and e-mail compare
 * case-insensitively, id and externalId exactly, unless the rule says otherwise.
 */
export function compileRule(rule: MatchRule): CompiledRule {
  const appKey = appKeyOf(rule.app);
  const idpKey = idpKeyOf(rule.idp);
  if (!appKey || !idpKey) throw new Error(`unsupported match rule ${rule.app} ↔ ${rule.idp}`);
  const exact = (k: KeyField): boolean => k === 'id' || k === 'externalId';
  const fold = rule.caseSensitive === undefined ? !(exact(appKey) && exact(idpKey)) : !rule.caseSensitive;
  return { appKey, idpKey, fold, label: `${rule.app} ↔ ${rule.idp}${fold ? ' (case-insensitive)' : ''}` };
}
