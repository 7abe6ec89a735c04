// Pure helpers for the scan pages: reading the typed path list, readable import errors, the
// weakness table's filter text and sort ranks. Tested in scans.test.ts; the pages only wire them up.
import type { ErrorCode, WeaknessRow } from './ipc/bindings';

/** One path per line; blank lines and surrounding spaces (and quotes a shell would add) dropped. */
export function parsePaths(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((l) => l.trim().replace(/^(['"])(.*)\1$/, '$2').trim())
    .filter(Boolean);
}

/** Adds `extra` paths to the list in `text`, keeping each path once. */
export function addPaths(text: string, extra: string[]): string {
  const all = parsePaths(text);
  for (const p of extra) if (!all.includes(p)) all.push(p);
  return all.join('\n');
}

/**
 * What to tell the assessor when one file of a scan import fails with IpcError `code`. The file's
 * name is already shown above the message, so a leading `path: ` is dropped.
 */
export function scanErrorMessage(code: ErrorCode, message: string, path = ''): string {
  if (path && message.startsWith(`${path}: `)) {
    const rest = message.slice(path.length + 2);
    message = rest.charAt(0).toUpperCase() + rest.slice(1);
  }
  switch (code) {
    case 'Cancelled':
      return 'Cancelled; nothing of this file was stored.';
    case 'AlreadyImported':
      // The core's message ends with the command-line flag; the window offers a button instead.
      return message.replace(/;\s*use --replace to replace that import\.?$/, '.');
    default:
      return `${message}. Nothing of this file was stored.`.replace(/\.\. Nothing/, '. Nothing');
  }
}

/** Sort rank of a FedRAMP risk: High first. */
export function riskRank(risk: string | null | undefined): number {
  switch (risk) {
    case 'high':
      return 0;
    case 'moderate':
      return 1;
    case 'low':
      return 2;
    default:
      return 3;
  }
}

/** The highest CVSS base score a weakness carries, or null. */
export function topScore(w: Pick<WeaknessRow, 'cvss'>): number | null {
  const scores = w.cvss.map((c) => c.score).filter((s): s is number => typeof s === 'number');
  return scores.length ? Math.max(...scores) : null;
}

/** What the weakness filter matches: tool, plugin, name, severity, risk, CVEs and review state. */
export function weaknessSearchText(w: WeaknessRow): unknown[] {
  return [w.tool, w.plugin_id, w.name, w.severity, w.fedramp_risk, w.cves, w.review];
}

/** `42.5%` with one decimal, `—` when there is nothing to measure. */
export function percentText(p: number, of: number): string {
  return of > 0 ? `${p.toFixed(1)}%` : '—';
}
