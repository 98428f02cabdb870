import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SAFE_STORAGE_SECRETS_FILE, safeStorageVault, type SafeStorageLike } from '../../src-main/hosts/electron/safe-storage-vault';
import { useTempDir } from '../helpers/temp-dir';

const tempDir = useTempDir();
const SECRET = 'canary-4f1c9e-super-secret-token';

/** A keychain stand-in: a reversible byte scramble, and the availability answers under test. */
function fakeSafeStorage(available: boolean, backend: string | (() => never)): SafeStorageLike & { backendAsked: number } {
  const scramble = (b: Buffer): Buffer => Buffer.from(b.map((x) => x ^ 0x5a));
  return {
    backendAsked: 0,
    isEncryptionAvailable: () => available,
    getSelectedStorageBackend() {
      this.backendAsked += 1;
      return typeof backend === 'function' ? backend() : backend;
    },
    encryptString: (plain) => Buffer.concat([Buffer.from('v10'), scramble(Buffer.from(plain, 'utf8'))]),
    decryptString: (cipher) => scramble(cipher.subarray(3)).toString('utf8'),
  };
}

const linuxOnly = (): never => {
  throw new Error('getSelectedStorageBackend is Linux only');
};

describe('desktop secret vault (safeStorage)', () => {
  it('keeps secrets in memory only, with a warning, when Linux would use the basic_text backend', async () => {
    const dir = tempDir();
    const vault = safeStorageVault(dir, fakeSafeStorage(true, 'basic_text'), 'linux', {});
    const storage = vault.describe();
    expect(storage).toMatchObject({ backend: 'memory', persistent: false });
    expect(storage.warning).toMatch(/keyring/);
    expect(storage.warning).toMatch(/memory only/);
    await vault.set('crm:token', SECRET);
    expect(await vault.get({ secret: 'crm:token' })).toBe(SECRET);
    expect(existsSync(join(dir, SAFE_STORAGE_SECRETS_FILE))).toBe(false);
  });

  it('refuses an undetermined Linux backend (asked before ready) the same way', () => {
    expect(safeStorageVault(tempDir(), fakeSafeStorage(true, 'unknown'), 'linux', {}).describe()).toMatchObject({ backend: 'memory', persistent: false });
  });

  it('keeps secrets in memory only when encryption is unavailable, on every platform', () => {
    for (const platform of ['linux', 'darwin', 'win32'] as const) {
      const storage = safeStorageVault(tempDir(), fakeSafeStorage(false, 'gnome_libsecret'), platform, {}).describe();
      expect(storage, platform).toMatchObject({ backend: 'memory', persistent: false });
      expect(storage.warning, platform).toMatch(/keychain is not available/);
    }
  });

  it('persists encrypted secrets in a 0600 file when a real keyring backs safeStorage', async () => {
    const dir = tempDir();
    const safeStorage = fakeSafeStorage(true, 'gnome_libsecret');
    const vault = safeStorageVault(dir, safeStorage, 'linux', {});
    expect(vault.describe()).toEqual({ backend: 'safeStorage', persistent: true, warning: null });
    await vault.set('crm:token', SECRET);

    const file = join(dir, SAFE_STORAGE_SECRETS_FILE);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const onDisk = readFileSync(file, 'utf8');
    expect(onDisk).toContain('crm:token');
    for (const form of [SECRET, Buffer.from(SECRET).toString('base64'), encodeURIComponent(SECRET)]) expect(onDisk).not.toContain(form);

    const reopened = safeStorageVault(dir, safeStorage, 'linux', {});
    expect(await reopened.get({ secret: 'crm:token' })).toBe(SECRET);
    await reopened.delete('crm:token');
    expect(await reopened.get({ secret: 'crm:token' })).toBeUndefined();
  });

  it('asks for the storage backend on Linux only (it does not exist elsewhere)', () => {
    for (const platform of ['darwin', 'win32'] as const) {
      const safeStorage = fakeSafeStorage(true, linuxOnly);
      expect(safeStorageVault(tempDir(), safeStorage, platform, {}).describe().backend).toBe('safeStorage');
      expect(safeStorage.backendAsked).toBe(0);
    }
  });

  it('still resolves { env } references from the environment in every mode', async () => {
    for (const safeStorage of [fakeSafeStorage(true, 'basic_text'), fakeSafeStorage(true, 'kwallet6')]) {
      const vault = safeStorageVault(tempDir(), safeStorage, 'linux', { CRM_TOKEN: 'from-env' });
      expect(await vault.get({ env: 'CRM_TOKEN' })).toBe('from-env');
    }
  });
});
