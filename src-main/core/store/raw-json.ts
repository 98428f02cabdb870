import { hash } from 'node:crypto';

/** Serializes a raw resource once and hashes the exact text stored, so dedupe matches storage. */
export function rawText(raw: unknown): { text: string; sha256: Buffer } {
  const text = JSON.stringify(raw) ?? 'null';
  return { text, sha256: hash('sha256', text, 'buffer') };
}
