import { join } from 'node:path';
import type { SecretVault } from '../../core/ports';
import { encryptedFileVault, memoryVault, type Crypter } from '../../core/secrets/vault';

// Secrets entered in the desktop app are encrypted with the OS keychain through Electron's
// safeStorage, or not kept at all: on Linux, the `basic_text` backend "encrypts" with a hard-coded
// password, which is obfuscation, so Driftline keeps secrets in memory only and the UI says so.

/** Its own file: browser mode's `secrets.enc.json` is under a passphrase, not the keychain. */
export const SAFE_STORAGE_SECRETS_FILE = 'secrets.safe-storage.json';

/** The parts of Electron's `safeStorage` Driftline uses (injected, so tests can fake it). */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  /** Linux only. */
  getSelectedStorageBackend(): string;
  encryptString(plainText: string): Buffer;
  decryptString(encrypted: Buffer): string;
}

export function safeStorageCrypter(safeStorage: SafeStorageLike): Crypter {
  return {
    encrypt: (plain) => safeStorage.encryptString(plain.toString('utf8')),
    decrypt: (cipher) => Buffer.from(safeStorage.decryptString(cipher), 'utf8'),
  };
}

const MEMORY_ONLY =
  'Secrets you enter are kept in memory only and are lost when Driftline quits; { "env": … } references keep working.';

/**
 * Why the keychain cannot be trusted here (the warning the UI shows), or null when it can. Call
 * after the app is ready: before, Linux reports the backend as `unknown`, which is refused too.
 */
export function keychainWarning(safeStorage: SafeStorageLike, platform: NodeJS.Platform): string | null {
  if (!safeStorage.isEncryptionAvailable()) return `The system keychain is not available. ${MEMORY_ONLY}`;
  if (platform !== 'linux') return null;
  switch (safeStorage.getSelectedStorageBackend()) {
    case 'basic_text':
      return `No system keyring (GNOME Keyring, KWallet) was found, and without one secrets would be protected only by a hard-coded key. ${MEMORY_ONLY}`;
    case 'unknown':
      return `The system keyring could not be determined. ${MEMORY_ONLY}`;
    default:
      return null;
  }
}

/** The desktop app's secret vault: a keychain-encrypted file, or memory only with a warning. */
export function safeStorageVault(
  dataDir: string,
  safeStorage: SafeStorageLike,
  platform: NodeJS.Platform = process.platform,
  env: NodeJS.ProcessEnv = process.env,
): SecretVault {
  const warning = keychainWarning(safeStorage, platform);
  if (warning !== null) return memoryVault(warning, env);
  return encryptedFileVault(join(dataDir, SAFE_STORAGE_SECRETS_FILE), safeStorageCrypter(safeStorage), { backend: 'safeStorage' }, env);
}
