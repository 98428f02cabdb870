import { DriftlineError } from '../errors';
import type { SecretRef, SecretStore } from '../ports';

/** Resolves a secret reference or fails with a message naming where it should come from (never a value). */
export async function requireSecret(secrets: SecretStore, ref: SecretRef, what: string): Promise<string> {
  const value = await secrets.get(ref);
  if (value === undefined || value === '') {
    const where = 'env' in ref ? `environment variable ${ref.env}` : `stored secret "${ref.secret}"`;
    throw new DriftlineError('secret_missing', `The ${what} is not set: ${where} is empty or missing.`);
  }
  return value;
}

/** Secrets from environment variables: the CLI's store, and browser mode's default. */
export function envSecretStore(env: NodeJS.ProcessEnv = process.env): SecretStore {
  return {
    get: (ref) => Promise.resolve('env' in ref ? env[ref.env] : undefined),
  };
}
