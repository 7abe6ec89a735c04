// Pure helpers for the import panel: progress text and readable error messages. Tested in
// importing.test.ts.
import type { ErrorCode, SspChanges } from './ipc/bindings';

/** Whole percent done, 0–100; 0 while the size is unknown. */
export function percentDone(done: number, total: number): number {
  if (!(total > 0)) return 0;
  return Math.max(0, Math.min(100, Math.floor((done / total) * 100)));
}

/** `12.3 MB` style size for progress text. */
export function formatBytes(n: number): string {
  if (n < 1000) return `${n} B`;
  if (n < 1_000_000) return `${(n / 1000).toFixed(1)} kB`;
  return `${(n / 1_000_000).toFixed(1)} MB`;
}

/** What to tell the assessor when an import fails with IpcError `code`. */
export function importErrorMessage(code: ErrorCode, message: string): string {
  switch (code) {
    case 'Cancelled':
      return 'Import cancelled; nothing was stored.';
    case 'NoEngagement':
      return 'Open an engagement before importing.';
    default:
      return `The import failed: ${message}. Nothing was stored.`;
  }
}

/** How many entities a re-import adds, removes and changes, over all three lists. */
export function countChanges(changes: SspChanges): { added: number; removed: number; changed: number; total: number } {
  const all = [...changes.components, ...changes.inventory_items, ...changes.implemented_requirements];
  const n = (kind: string) => all.filter((c) => c.kind === kind).length;
  return { added: n('added'), removed: n('removed'), changed: n('changed'), total: all.length };
}

/** The last path segment, for either separator. */
export function fileName(path: string): string {
  const parts = path.split(/[\\/]/);
  return parts[parts.length - 1] || path;
}
