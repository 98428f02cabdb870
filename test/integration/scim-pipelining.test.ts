import { Worker } from 'node:worker_threads';
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

// A SCIM server in a thread of its own, so it answers while this thread is busy, counting the
// /Users requests it has received in shared memory this thread can read at any moment.
const THREADED_SERVER = `
const { createServer } = require('node:http');
const { workerData, parentPort } = require('node:worker_threads');
const seen = new Int32Array(workerData.counter);
const server = createServer((req, res) => {
  const url = new URL(req.url, 'http://x');
  const list = (resources, total) => JSON.stringify({ schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'], totalResults: total, itemsPerPage: resources.length, startIndex: 1, Resources: resources });
  res.setHeader('content-type', 'application/scim+json');
  if (url.pathname.endsWith('/Users')) {
    Atomics.add(seen, 0, 1);
    const start = Number(url.searchParams.get('startIndex') ?? 1);
    const count = Number(url.searchParams.get('count') ?? 50);
    const users = [];
    for (let i = start; i < Math.min(start + count, 151); i++) users.push({ id: 'u' + i, userName: 'user' + i + '@example.com', active: true });
    res.end(list(users, 150));
  } else if (url.pathname.endsWith('/Groups')) res.end(list([], 0));
  else { res.statusCode = 404; res.end('{}'); }
});
server.listen(0, '127.0.0.1', () => parentPort.postMessage(server.address().port));
parentPort.on('message', () => server.close(() => process.exit(0)));
`;

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

  it("puts the next page's request on the wire before working on the current page", async () => {
    const counter = new SharedArrayBuffer(4);
    const requests = new Int32Array(counter);
    const worker = new Worker(THREADED_SERVER, { eval: true, workerData: { counter } });
    const port = await new Promise<number>((resolve) => worker.once('message', resolve));
    try {
      const { ctx, sink } = memoryContext();
      const seenAtHandOver: number[] = [];
      sink.users = (batch) => {
        sink.usersSeen.push(...batch);
        // Busy here, as normalizing and packing a large page is: the server thread can only have
        // received the next request if it was sent before this page was handed over.
        const until = Date.now() + 2000;
        while (Atomics.load(requests, 0) <= seenAtHandOver.length + 1 && Date.now() < until);
        seenAtHandOver.push(Atomics.load(requests, 0));
        return Promise.resolve();
      };
      const config = scimConfig(`http://127.0.0.1:${port}/scim/v2`);
      await createScimConnector(config, { secrets: envSecretStore({ TEST_SCIM_TOKEN: NASTY_TOKEN }), createHttpClient }).poll(ctx);
      expect(sink.usersSeen).toHaveLength(150);
      // Pages 1-3 of 50, then the empty page 4: each page's successor had been requested.
      expect(seenAtHandOver).toEqual([2, 3, 4]);
    } finally {
      worker.postMessage('stop');
      await new Promise((resolve) => worker.once('exit', resolve));
    }
  });
});
