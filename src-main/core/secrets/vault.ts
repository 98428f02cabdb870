import { createCipheriv, createDecipheriv, randomBytes, scryptSync } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { SecretStorageDto } from '../../contract/dto';
import { DriftlineError } from '../errors';
import type { SecretRef, SecretVault } from '../ports';

/** Turns plaintext into ciphertext and back; the platform's (Electron safeStorage) or a passphrase's. */
export interface Crypter {
  encrypt(plain: Buffer): Buffer;
  decrypt(cipher: Buffer): Buffer;
}

function resolveEnv(ref: SecretRef, env: NodeJS.ProcessEnv): string | undefined | null {
  return 'env' in ref ? (env[ref.env] ?? undefined) : null;
}

/**
 * Secrets kept in this process only: lost when Driftline stops. The fallback whenever no safe
 * persistent storage exists; the UI shows `warning`.
 */
export function memoryVault(warning: string, env: NodeJS.ProcessEnv = process.env): SecretVault {
  const values = new Map<string, string>();
  return {
    get: (ref) => {
      const fromEnv = resolveEnv(ref, env);
      return Promise.resolve(fromEnv === null ? values.get((ref as { secret: string }).secret) : fromEnv);
    },
    set: (key, value) => {
      values.set(key, value);
      return Promise.resolve();
    },
    delete: (key) => {
      values.delete(key);
      return Promise.resolve();
    },
    describe: () => ({ backend: 'memory', persistent: false, warning }),
  };
}

/**
 * Secrets in one file, each value encrypted by `crypter`, written 0600 and replaced atomically.
 * The file holds names and ciphertext only.
 */
export function encryptedFileVault(
  file: string,
  crypter: Crypter,
  storage: Omit<SecretStorageDto, 'persistent' | 'warning'>,
  env: NodeJS.ProcessEnv = process.env,
): SecretVault {
  const read = (): Record<string, string> => {
    if (!existsSync(file)) return {};
    try {
      return JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>;
    } catch (err) {
      throw new DriftlineError('file_unreadable', `The secrets file ${file} is unreadable: ${(err as Error).message}`);
    }
  };
  const write = (entries: Record<string, string>): void => {
    const tmp = `${file}.tmp`;
    writeFileSync(tmp, JSON.stringify(entries), { mode: 0o600 });
    chmodSync(tmp, 0o600);
    renameSync(tmp, file);
  };
  return {
    get: (ref) => {
      const fromEnv = resolveEnv(ref, env);
      if (fromEnv !== null) return Promise.resolve(fromEnv);
      const cipher = read()[(ref as { secret: string }).secret];
      if (cipher === undefined) return Promise.resolve(undefined);
      try {
        return Promise.resolve(crypter.decrypt(Buffer.from(cipher, 'base64')).toString('utf8'));
      } catch {
        return Promise.reject(
          new DriftlineError('secret_missing', `A stored secret could not be decrypted (wrong passphrase or another machine's keychain). Enter it again.`),
        );
      }
    },
    set: (key, value) => {
      write({ ...read(), [key]: crypter.encrypt(Buffer.from(value, 'utf8')).toString('base64') });
      return Promise.resolve();
    },
    delete: (key) => {
      const entries = read();
      if (Object.hasOwn(entries, key)) write(Object.fromEntries(Object.entries(entries).filter(([k]) => k !== key)));
      return Promise.resolve();
    },
    describe: () => ({ ...storage, persistent: true, warning: null }),
  };
}

/**
 * AES-256-GCM under a key derived with scrypt from a passphrase (browser mode's DRIFTLINE_PASSPHRASE).
 * Each value carries its own salt and nonce: salt(16) ‖ iv(12) ‖ tag(16) ‖ ciphertext.
 */
export function passphraseCrypter(passphrase: string): Crypter {
  const keyFor = (salt: Buffer): Buffer => scryptSync(passphrase, salt, 32, { N: 2 ** 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 });
  return {
    encrypt(plain) {
      const salt = randomBytes(16);
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', keyFor(salt), iv);
      const body = Buffer.concat([cipher.update(plain), cipher.final()]);
      return Buffer.concat([salt, iv, cipher.getAuthTag(), body]);
    },
    decrypt(data) {
      const salt = data.subarray(0, 16);
      const iv = data.subarray(16, 28);
      const tag = data.subarray(28, 44);
      const decipher = createDecipheriv('aes-256-gcm', keyFor(salt), iv);
      decipher.setAuthTag(tag);
      return Buffer.concat([decipher.update(data.subarray(44)), decipher.final()]);
    },
  };
}
