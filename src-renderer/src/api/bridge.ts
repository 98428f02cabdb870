import type { Bridge } from '../../../src-main/contract/bridge';

declare global {
  interface Window {
    /** Present only inside the Electron window (the preload's pipe to the main process). */
    bridge?: Bridge;
  }
}
