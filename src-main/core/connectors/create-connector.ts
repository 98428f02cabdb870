import type { ConnectionConfig } from '../config/schema';
import { resolveConfigPath } from '../config/load-config';
import type { SecretStore } from '../ports';
import type { ReadTextFile } from './ca-bundle';
import { createCsvConnector } from './csv/csv-connector';
import { createOktaConnector } from './okta/okta-connector';
import { createScimConnector } from './scim/scim-connector';
import type { Connector, HttpClientFactory } from './types';

export interface ConnectorEnv {
  secrets: SecretStore;
  createHttpClient: HttpClientFactory;
  /** The config file's folder: relative file paths in the config resolve against it. */
  baseDir: string;
  readFile?: ReadTextFile;
}

/** The connector for one configured system. */
export function createConnector(config: ConnectionConfig, env: ConnectorEnv): Connector {
  const withCa = <T extends { tls?: { caFile?: string | undefined } | undefined }>(c: T): T =>
    c.tls?.caFile ? { ...c, tls: { ...c.tls, caFile: resolveConfigPath(env.baseDir, c.tls.caFile) } } : c;
  const deps = { secrets: env.secrets, createHttpClient: env.createHttpClient, ...(env.readFile ? { readFile: env.readFile } : {}) };
  switch (config.type) {
    case 'csv':
      return createCsvConnector(config, { baseDir: env.baseDir });
    case 'okta':
      return createOktaConnector(withCa(config), deps);
    case 'scim':
      return createScimConnector(withCa(config), deps);
  }
}
