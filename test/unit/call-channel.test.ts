import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { createCallChannel, type CallReply, type CallRequest } from '../../src-main/core/util/call-channel';

const ports: MessagePort[] = [];
afterEach(() => {
  for (const port of ports.splice(0)) port.close();
});

/** A channel whose far side answers each call with `answer(request, send)`. */
function channelTo(answer: (req: CallRequest, send: (reply: CallReply) => void) => void): ReturnType<typeof createCallChannel> {
  const { port1, port2 } = new MessageChannel();
  ports.push(port1, port2);
  port2.on('message', (req: CallRequest) => answer(req, (reply) => port2.postMessage(reply)));
  return createCallChannel(port1);
}

async function collect<T>(parts: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const part of parts) out.push(part);
  return out;
}

describe('streamed calls', () => {
  it('yields every part in order, then ends at the last reply', async () => {
    const channel = channelTo((req, send) => {
      for (const n of req.args as number[]) send({ id: req.id, ok: true, value: [n, n * 10], part: true });
      send({ id: req.id, ok: true, value: null });
    });
    expect(await collect(channel.stream<number[]>('parts', 1, 2, 3))).toEqual([
      [1, 10],
      [2, 20],
      [3, 30],
    ]);
  });

  it('keeps parts that arrive before they are read, and answers calls in the order they were made', async () => {
    const channel = channelTo((req, send) => {
      if (req.method === 'parts') send({ id: req.id, ok: true, value: 'part', part: true });
      send({ id: req.id, ok: true, value: req.method });
    });
    const parts = channel.stream<string>('parts');
    expect(await channel.call('after')).toBe('after');
    expect(await collect(parts)).toEqual(['part']);
  });

  it('throws the far side’s error after the parts sent before it', async () => {
    const channel = channelTo((req, send) => {
      send({ id: req.id, ok: true, value: 'first', part: true });
      send({ id: req.id, ok: false, error: { code: 'internal', message: 'disk I/O error' } });
    });
    const seen: string[] = [];
    await expect(
      (async () => {
        for await (const part of channel.stream<string>('parts')) seen.push(part);
      })(),
    ).rejects.toThrowError('disk I/O error');
    expect(seen).toEqual(['first']);
  });

  it('throws when the far side goes away mid-answer', async () => {
    const channel = channelTo((req, send) => send({ id: req.id, ok: true, value: 'first', part: true }));
    const parts = channel.stream<string>('parts')[Symbol.asyncIterator]();
    expect(await parts.next()).toEqual({ done: false, value: 'first' });
    channel.fail(new Error('The analysis helper thread exited (code 1).'));
    await expect(parts.next()).rejects.toThrowError('exited');
  });
});
