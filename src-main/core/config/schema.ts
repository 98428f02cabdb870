import { z } from 'zod';
import { appKeyOf, idpKeyOf, SUPPORTED_APP_KEYS, SUPPORTED_IDP_KEYS } from '../analysis/match-keys';
import { parseScimPath } from '../scim/scim-path';

// The driftline.config.json format. Secrets are references only: a literal string where a secret
// belongs is rejected, so a config file can be shared or committed without leaking credentials.

export const secretRefSchema = z.union(
  [
    z.strictObject({ env: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be an environment variable name') }),
    z.strictObject({ secret: z.string().min(1) }),
  ],
  { error: 'must be a secret reference like { "env": "NAME" }, never the secret itself' },
);

const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' });

const limitsSchema = z
  .strictObject({
    /** Sustained requests per second to this system. */
    requestsPerSecond: z.number().positive().max(1000).default(10),
    concurrency: z.number().int().min(1).max(32).default(4),
    pageSize: z.number().int().min(1).max(10_000).default(100),
    timeoutSeconds: z.number().positive().max(3600).default(60),
    /** Largest single response accepted; a bigger one fails the run instead of exhausting memory. */
    maxResponseMegabytes: z.number().positive().max(1024).default(64),
    /** Upper bound on pages per listing: a server that never stops paging fails the run. */
    maxPages: z.number().int().min(1).default(100_000),
  })
  .prefault({});

const tlsSchema = z.strictObject({
  /** Extra CA bundle (PEM file) for servers behind a private CA. */
  caFile: z.string().min(1).optional(),
});

const scimAuthSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('bearer'), token: secretRefSchema }),
  z.strictObject({ type: z.literal('basic'), username: z.string().min(1), password: secretRefSchema }),
]);

const matchRuleSchema = z.strictObject({
  /** SCIM attribute path on the app side: userName, externalId, emails[type eq "work"].value, … */
  app: z.string().min(1),
  /** Attribute name on the IdP side: id, userName, email, or any IdP attribute. */
  idp: z.string().min(1),
  /** Defaults follow RFC 7643: userName and emails case-insensitive, id/externalId case-exact. */
  caseSensitive: z.boolean().optional(),
});

const scopeSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('all') }),
  z.strictObject({ type: z.literal('groups'), groups: z.array(z.string().min(1)).min(1) }),
]);

const attributeMappingSchema = z.strictObject({
  app: z.string().min(1),
  idp: z.string().min(1),
  caseSensitive: z.boolean().default(true),
});

const groupMappingSchema = z.strictObject({
  /** How an IdP group finds its app group: same displayName (case-insensitive) or externalId = IdP group id. */
  match: z.enum(['displayName', 'externalId']),
  /** Limit membership checks to these IdP group names. */
  only: z.array(z.string().min(1)).optional(),
});

/** How Driftline writes to an app: per-app switches for known SCIM server quirks and safeguards. */
const writesSchema = z
  .strictObject({
    /** Deleting accounts is off unless enabled for this app; deletes always need typed confirmation. */
    allowDelete: z.boolean().default(false),
    /** `path`: {"op":"replace","path":"active","value":false}; `valueObject`: {"op":"replace","value":{"active":false}} (Okta-style SPs). */
    deactivateForm: z.enum(['path', 'valueObject']).default('path'),
    /** `auto`: PATCH unless the server says it has none; `put`: always PUT a fresh copy of the resource. */
    method: z.enum(['auto', 'patch', 'put']).default('auto'),
    /** `auto`: send If-Match when the server advertises ETags; `never` for servers that mishandle them. */
    ifMatch: z.enum(['auto', 'never']).default('auto'),
    /** Bulk fixes above min(items, percent of the app's accounts) need the app's name typed to confirm. */
    bulkThreshold: z
      .strictObject({ items: z.number().int().min(1).default(20), percent: z.number().positive().max(100).default(10) })
      .prefault({}),
    /** Writes in flight at once during a bulk fix (the app's rate limit applies too). */
    concurrency: z.number().int().min(1).max(16).default(2),
  })
  .prefault({});

export const scimAppSchema = z
  .strictObject({
    name: z.string().min(1),
    type: z.literal('scim'),
    baseUrl: httpUrl,
    auth: scimAuthSchema,
    match: z.array(matchRuleSchema).min(1).default([{ app: 'userName', idp: 'userName' }]),
    scope: scopeSchema.default({ type: 'all' }),
    attributes: z.array(attributeMappingSchema).default([]),
    groups: groupMappingSchema.optional(),
    /**
     * How group members are read: `auto` takes them from the group list and reads by id the groups
     * listed without them; `perGroup` lists groups without members and reads every group by id.
     */
    groupMembers: z.enum(['auto', 'perGroup']).default('auto'),
    writes: writesSchema,
    limits: limitsSchema,
    tls: tlsSchema.optional(),
  })
  .superRefine((app, ctx) => {
    app.match.forEach((rule, j) => {
      if (!appKeyOf(rule.app)) ctx.addIssue({ code: 'custom', path: ['match', j, 'app'], message: `correlation supports ${SUPPORTED_APP_KEYS.join(', ')}` });
      if (!idpKeyOf(rule.idp)) ctx.addIssue({ code: 'custom', path: ['match', j, 'idp'], message: `correlation supports ${SUPPORTED_IDP_KEYS.join(', ')}` });
    });
    app.attributes.forEach((m, j) => {
      try {
        parseScimPath(m.app);
      } catch (err) {
        ctx.addIssue({ code: 'custom', path: ['attributes', j, 'app'], message: (err as Error).message });
      }
    });
  });

const csvIdpSchema = z.strictObject({
  name: z.string().min(1),
  type: z.literal('csv'),
  /** Resolved against the config file's folder when relative. */
  path: z.string().min(1),
  delimiter: z.string().length(1).optional(),
});

const oktaIdpSchema = z.strictObject({
  name: z.string().min(1),
  type: z.literal('okta'),
  orgUrl: httpUrl,
  token: secretRefSchema,
  limits: limitsSchema,
  tls: tlsSchema.optional(),
});

export const idpSchema = z.discriminatedUnion('type', [csvIdpSchema, oktaIdpSchema]);

export const configSchema = z
  .strictObject({
    idp: idpSchema,
    apps: z.array(scimAppSchema).default([]),
  })
  .superRefine((cfg, ctx) => {
    const seen = new Set<string>([cfg.idp.name.toLowerCase()]);
    cfg.apps.forEach((app, i) => {
      const key = app.name.toLowerCase();
      if (seen.has(key)) {
        ctx.addIssue({ code: 'custom', path: ['apps', i, 'name'], message: `duplicate connection name "${app.name}"` });
      }
      seen.add(key);
    });
  });

export type DriftlineConfig = z.infer<typeof configSchema>;
export type IdpConfig = z.infer<typeof idpSchema>;
export type CsvIdpConfig = z.infer<typeof csvIdpSchema>;
export type OktaIdpConfig = z.infer<typeof oktaIdpSchema>;
export type ScimAppConfig = z.infer<typeof scimAppSchema>;
export type LimitsConfig = z.infer<typeof limitsSchema>;
export type WritesConfig = z.infer<typeof writesSchema>;
export type MatchRule = z.infer<typeof matchRuleSchema>;
export type AttributeMapping = z.infer<typeof attributeMappingSchema>;
export type ConnectionConfig = IdpConfig | ScimAppConfig;
