import type { ErrorInfo } from '../../contract/errors';
import { fromErrorInfo } from '../errors';

// Request/reply over a worker thread or a MessagePort: the store's worker and the analysis helper
// thread both answer calls this way.

/** One call as the serving thread receives it. */
export interface CallRequest<M extends string = string> {
  id: number;
  method: M;
  args: unknown[];
}

/** A reply with `part` set is one part of a streamed answer; the call's last reply ends it. */
export type CallReply = { id: number; ok: true; value: unknown; part?: true } | { id: number; ok: false; error: ErrorInfo };

/** The sending end: a Worker seen from its parent, or a MessagePort. */
export interface ChannelEndpoint {
  postMessage(message: unknown, transfer?: readonly ArrayBuffer[]): void;
  on(event: 'message', listener: (message: unknown) => void): unknown;
}

export interface CallChannel<M extends string> {
  call<T>(method: M, ...args: unknown[]): Promise<T>;
  /** A call whose arguments hold these buffers: they move to the far side instead of being copied, and are unusable here afterwards. */
  callTransferring<T>(method: M, transfer: readonly ArrayBuffer[], ...args: unknown[]): Promise<T>;
  /**
   * A call the far side answers in parts (replies with `part` set), ended by its last reply, whose
   * value is not a part. Sent at once, like any call; the parts wait here until they are read.
   */
  stream<T>(method: M, ...args: unknown[]): AsyncIterable<T>;
  /** Fails every pending and later call with `reason` (the far side is gone). */
  fail(reason: Error): void;
  /** Why the channel failed, or null while it works. */
  failure(): Error | null;
}

/** Calls resolve with the far side's value, or reject with its error rebuilt as a DriftlineError. */
export function createCallChannel<M extends string>(endpoint: ChannelEndpoint): CallChannel<M> {
  const pending = new Map<number, { resolve(v: unknown): void; reject(e: unknown): void; part?(v: unknown): void }>();
  let nextId = 1;
  let dead: Error | null = null;

  endpoint.on('message', (message) => {
    const reply = message as CallReply;
    const p = pending.get(reply.id);
    if (!p) return;
    if (reply.ok && reply.part) {
      p.part?.(reply.value);
      return;
    }
    pending.delete(reply.id);
    if (reply.ok) p.resolve(reply.value);
    else p.reject(fromErrorInfo(reply.error));
  });

  const send = <T>(method: M, transfer: readonly ArrayBuffer[], args: unknown[], part?: (v: unknown) => void): Promise<T> => {
    if (dead) return Promise.reject(dead);
    const id = nextId++;
    return new Promise<T>((resolve, reject) => {
      pending.set(id, { resolve: resolve as (v: unknown) => void, reject, ...(part ? { part } : {}) });
      endpoint.postMessage({ id, method, args } satisfies CallRequest<M>, transfer);
    });
  };
  const callTransferring = <T>(method: M, transfer: readonly ArrayBuffer[], ...args: unknown[]): Promise<T> => send<T>(method, transfer, args);

  const stream = <T>(method: M, ...args: unknown[]): AsyncIterable<T> => {
    const parts: T[] = [];
    let end: { failed: false } | { failed: true; error: unknown } | null = null;
    let wake: (() => void) | null = null;
    const notify = (): void => {
      wake?.();
      wake = null;
    };
    send(method, [], args, (part) => {
      parts.push(part as T);
      notify();
    }).then(
      () => {
        end = { failed: false };
        notify();
      },
      (error: unknown) => {
        end = { failed: true, error };
        notify();
      },
    );
    return {
      async *[Symbol.asyncIterator]() {
        for (;;) {
          const next = parts.shift();
          if (next !== undefined) yield next;
          else if (end) {
            if (end.failed) throw end.error;
            return;
          } else await new Promise<void>((resolve) => (wake = resolve));
        }
      },
    };
  };

  return {
    call: (method, ...args) => callTransferring(method, [], ...args),
    callTransferring,
    stream,
    fail(reason) {
      dead ??= reason;
      for (const p of pending.values()) p.reject(dead);
      pending.clear();
    },
    failure: () => dead,
  };
}
