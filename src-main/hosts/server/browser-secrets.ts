import { join } from 'node:path';
import type { SecretVault } from '../../core/ports';
import { encryptedFileVault, memoryVault, passphraseCrypter } from '../../core/secrets/vault';

export const SECRETS_FILE = 'secrets.enc.json';

/**
 * Browser mode has no OS keychain API: secrets entered in the UI are kept in a file encrypted with
 * a key derived from DRIFTLINE_PASSPHRASE, or, without one, in memory only (the UI says so).
 * `{ env }` references always resolve from the environment.
 */
export function browserModeVault(dataDir: string, env: NodeJS.ProcessEnv = process.env): SecretVault {
  const passphrase = env.DRIFTLINE_PASSPHRASE;
  if (passphrase) {
    return encryptedFileVault(join(dataDir, SECRETS_FILE), passphraseCrypter(passphrase), { backend: 'passphrase-file' }, env);
  }
  return memoryVault(
    'Secrets you enter are kept in memory only and are lost when Driftline stops. Set DRIFTLINE_PASSPHRASE to keep them encrypted on disk, or use { "env": … } references.',
    env,
  );
}
