import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * The built renderer (out/renderer). Bundled code may run from out/main or from a chunk in
 * out/main/chunks, so look upwards from the running file for the folder holding index.html.
 */
export function rendererDir(from: string = __dirname): string {
  for (let dir = from, i = 0; i < 4; i++, dir = dirname(dir)) {
    const candidate = join(dir, 'renderer');
    if (existsSync(join(candidate, 'index.html'))) return candidate;
  }
  throw new Error(`The UI is not built (no renderer/index.html above ${from}). Run \`npm run build\`.`);
}
