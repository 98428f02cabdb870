// The Driftline configuration the bench syncs with: the app behind the demo SCIM server, the HR export
// as the IdP, six mapped attributes and group mapping by name. Parsed by the product's own schema.
import { parseConfig } from '../../src-main/core/config/load-config';
import type { DriftlineConfig } from '../../src-main/core/config/schema';
import { ENTERPRISE } from './tenant';

export const TOKEN_ENV = 'DRIFTLINE_BENCH_SCIM_TOKEN';
export const APP_NAME = 'Bench SCIM app';
export const IDP_NAME = 'Bench HR export';

export const LIMITS = {
  pageSize: 1000,
  // The schema's maximum. Its burst is one second's worth (1000 requests), more than a sync of this
  // tenant sends in all (~130), so the limiter never holds a request back.
  requestsPerSecond: 1000,
  concurrency: 8,
  timeoutSeconds: 120,
} as const;

export function benchConfig(scimUrl: string, csvPath: string): DriftlineConfig {
  return parseConfig(
    {
      idp: { name: IDP_NAME, type: 'csv', path: csvPath },
      apps: [
        {
          name: APP_NAME,
          type: 'scim',
          baseUrl: scimUrl,
          auth: { type: 'bearer', token: { env: TOKEN_ENV } },
          match: [
            { app: 'externalId', idp: 'id' },
            { app: 'userName', idp: 'userName' },
          ],
          scope: { type: 'all' },
          attributes: [
            { app: 'name.givenName', idp: 'givenName' },
            { app: 'name.familyName', idp: 'familyName' },
            { app: 'title', idp: 'title' },
            { app: `${ENTERPRISE}:department`, idp: 'department' },
            { app: 'emails[type eq "work"].value', idp: 'email', caseSensitive: false },
            { app: `${ENTERPRISE}:costCenter`, idp: 'costCenter' },
          ],
          groups: { match: 'displayName' },
          limits: LIMITS,
        },
      ],
    },
    'the benchmark configuration',
  );
}
