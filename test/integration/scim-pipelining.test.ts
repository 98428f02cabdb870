import { afterEach, describe, expect, it } from 'vitest';
import { createScimConnector } from '../../src-main/core/connectors/scim/scim-connector';
import { createHttpClient } from '../../src-main/core/http/client';
import { envSecretStore } from '../../src-main/core/secrets/resolve';
import { memoryContext } from '../helpers/memory-sink';
import { nastyData, startNastyScim, NASTY_TOKEN, type NastyServer } from '../helpers/nasty-scim';
import { scimConfig } from '../helpers/scim-sync';

const servers: NastyServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

const settle = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('SCIM listing while the store writes', () => {
  it.each([
    ['index', false],
    ['cursor', true],
  ])('%s paging: fetches the next page while a page is written, and holds at two pages waiting', async (_mode, cursor) => {
    const server = await startNastyScim(nastyData(250), { cursor });
    servers.push(server);
    const userPages = (): string[] => server.hits.map((h) => h.path).filter((p) => p.startsWith('/Users?'));
    const held: Array<() => void> = [];
    const { ctx, sink } = memoryContext();
    sink.users = (batch) => {
      sink.usersSeen.push(...batch);
      return new Promise<void>((resolve) => held.push(resolve));
    };
    const connector = createScimConnector(scimConfig(server.base), { secrets: envSecretStore({ TEST_SCIM_TOKEN: NASTY_TOKEN }), createHttpClient });
    const polled = connector.poll(ctx);

    await settle(300);
    // Pages 1 and 2 wait to be written; page 3 was fetched meanwhile and waits for page 1.
    expect(held).toHaveLength(2);
    expect(userPages()).toHaveLength(3);

    held.shift()?.();
    await settle(300);
    expect(held).toHaveLength(2);
    expect(userPages()).toHaveLength(4);

    const release = setInterval(() => held.shift()?.(), 1);
    const result = await polled.finally(() => clearInterval(release));
    expect(sink.usersSeen.map((u) => u.id)).toEqual(nastyData(250).users.map((u) => u.id));
    expect(result.capabilities.paging).toBe(cursor ? 'cursor' : 'index');
    // Progress counts the pages handed over, not the one being fetched.
    expect(sink.progressSeen.filter((p) => p.phase === 'users').map((p) => p.pages)).toEqual([1, 2, 3, 4, 5]);
  });
});
