import type { ApiEventName, ApiEvents } from '../contract/events';

export type EventListener = <E extends ApiEventName>(name: E, payload: ApiEvents[E]) => void;

/** Fans core events out to every connected UI (IPC window, SSE clients). */
export interface EventHub {
  emit<E extends ApiEventName>(name: E, payload: ApiEvents[E]): void;
  subscribe(listener: EventListener): () => void;
}

export function createEventHub(): EventHub {
  const listeners = new Set<EventListener>();
  return {
    emit(name, payload) {
      for (const l of listeners) {
        try {
          l(name, payload);
        } catch {
          // A broken subscriber (a closed socket) must not stop the others.
        }
      }
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
