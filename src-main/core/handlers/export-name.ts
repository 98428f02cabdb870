/** The file name offered for an export: `driftline-<what>-YYYYMMDD-HHMMSS.<format>` (UTC). */
export function exportName(what: 'findings' | 'audit', format: 'csv' | 'json', now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\..*$/, '').replace('T', '-');
  return `driftline-${what}-${stamp}.${format}`;
}
