import type { StateCreator } from 'zustand/vanilla';
import type { ErrorInfo } from '../../../src-main/contract/errors';
import type { ApiClient } from '../api/client';
import type { AppState } from './store';

/** What the store needs from outside: the API, and a way to tell the admin about background failures. */
export interface StoreDeps {
  api: ApiClient;
  /** Reports a failure of something the admin did not directly ask for (a refresh after an event). */
  reportError(title: string, error: ErrorInfo): void;
}

/** One slice of the bound store; it may read and write the whole state. */
export type SliceCreator<T> = StateCreator<AppState, [], [], T>;

/** Where a list stands: never asked, on its way, there, or failed. */
export type LoadStatus = 'idle' | 'loading' | 'ready' | 'error';
