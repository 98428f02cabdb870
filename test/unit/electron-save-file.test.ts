import { readdirSync, readFileSync, statSync, writeFileSync, chmodSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createSaveFile, safeFileName, type SaveDialogOptions } from '../../src-main/hosts/electron/save-file';
import { useTempDir } from '../helpers/temp-dir';

const tempDir = useTempDir();

function withDialog(answer: (options: SaveDialogOptions) => { canceled: boolean; filePath?: string }): {
  save: ReturnType<typeof createSaveFile>;
  asked: SaveDialogOptions[];
} {
  const asked: SaveDialogOptions[] = [];
  const save = createSaveFile({
    defaultDir: '/home/admin/Downloads',
    showSaveDialog: (options) => {
      asked.push(options);
      return Promise.resolve(answer(options));
    },
  });
  return { save, asked };
}

const csv = { fileName: 'driftline-findings-20260101-120000.csv', mimeType: 'text/csv', content: 'key,type\nF-1,orphaned_account\n' };

describe('save-file handler (native save dialog)', () => {
  it('suggests the name in the Downloads folder, with a filter for its extension', async () => {
    const { save, asked } = withDialog(() => ({ canceled: true }));
    await save(csv);
    expect(asked).toEqual([{ defaultPath: join('/home/admin/Downloads', csv.fileName), filters: [{ name: 'CSV', extensions: ['csv'] }] }]);
  });

  it('writes the content to the chosen path as a 0600 file', async () => {
    const target = join(tempDir(), 'export.csv');
    const { save } = withDialog(() => ({ canceled: false, filePath: target }));
    const previous = process.umask(0o000);
    try {
      expect(await save(csv)).toEqual({ ok: true, data: { saved: true, path: target } });
    } finally {
      process.umask(previous);
    }
    expect(readFileSync(target, 'utf8')).toBe(csv.content);
    expect(statSync(target).mode & 0o777).toBe(0o600);
  });

  it('replaces an existing world-readable file with a 0600 one and leaves no temporary file behind', async () => {
    const dir = tempDir();
    const target = join(dir, 'export.json');
    writeFileSync(target, 'old');
    chmodSync(target, 0o644);
    const { save } = withDialog(() => ({ canceled: false, filePath: target }));
    expect(await save({ fileName: 'x.json', mimeType: 'application/json', content: '[]' })).toMatchObject({ ok: true, data: { saved: true } });
    expect(readFileSync(target, 'utf8')).toBe('[]');
    expect(statSync(target).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir)).toEqual(['export.json']);
  });

  it('reports a cancelled dialog as not saved, writing nothing', async () => {
    const { save } = withDialog(() => ({ canceled: true, filePath: '' }));
    expect(await save(csv)).toEqual({ ok: true, data: { saved: false, path: null } });
  });

  it('returns a typed error when the file cannot be written', async () => {
    const target = join(tempDir(), 'no-such-folder', 'export.csv');
    const { save } = withDialog(() => ({ canceled: false, filePath: target }));
    const result = await save(csv);
    expect(result).toMatchObject({ ok: false, error: { code: 'internal' } });
    expect(result.ok ? '' : result.error.message).toContain(target);
  });

  it('refuses malformed requests without opening the dialog', async () => {
    const { save, asked } = withDialog(() => ({ canceled: true }));
    await fc.assert(
      fc.asyncProperty(
        fc.anything().filter((v) => !(typeof v === 'object' && v !== null && 'fileName' in v)),
        async (request) => {
          expect(await save(request)).toMatchObject({ ok: false, error: { code: 'invalid_argument' } });
        },
      ),
    );
    expect(await save({ ...csv, extra: 1 })).toMatchObject({ ok: false });
    expect(await save({ ...csv, fileName: '' })).toMatchObject({ ok: false });
    expect(asked).toEqual([]);
  });

  it('reduces any suggested name to a bare file name', () => {
    expect(safeFileName('../../etc/cron.d/evil.csv')).toBe('evil.csv');
    expect(safeFileName('C:\\Windows\\evil.csv')).toBe('evil.csv');
    expect(safeFileName('..')).toBe('driftline-export');
    expect(safeFileName('.bashrc')).toBe('bashrc');
    expect(safeFileName('a<b>:c"d|e?f*g\u0000h.csv')).toBe('a_b__c_d_e_f_g_h.csv');
    fc.assert(
      fc.property(fc.string(), (name) => {
        const safe = safeFileName(name);
        expect(safe).not.toMatch(/[\\/]/);
        expect(safe).not.toMatch(/^\./);
        expect(safe.length).toBeGreaterThan(0);
      }),
    );
  });
});
