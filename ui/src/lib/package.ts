// Pure helpers for the Package page: sizes, the progress line, the package's folders, the output
// file name and the verification summary. Tested in package.test.ts.
import type { PackageCheck, PackagedFile, PackageProgress } from './ipc/bindings';

/** A size for people: exact bytes below 1 kB, else one decimal in kB, MB or GB (powers of 1000). */
export function formatSize(bytes: number | null): string {
  if (bytes === null || !Number.isFinite(bytes) || bytes < 0) return '—';
  if (bytes < 1000) return `${bytes} B`;
  const units = ['kB', 'MB', 'GB', 'TB'];
  let v = bytes;
  let u = -1;
  while (v >= 1000 && u < units.length - 1) {
    v /= 1000;
    u += 1;
  }
  // 999.95 kB would round to "1000.0 kB": show it in the next unit instead.
  if (Number(v.toFixed(1)) >= 1000 && u < units.length - 1) {
    v /= 1000;
    u += 1;
  }
  return `${v.toFixed(1)} ${units[u]}`;
}

/** The exact byte count with thousands separators, for titles and the receipt. */
export function exactBytes(bytes: number | null): string {
  if (bytes === null || !Number.isFinite(bytes)) return 'size unknown';
  return `${bytes.toLocaleString('en-US')} ${bytes === 1 ? 'byte' : 'bytes'}`;
}

/** What a progress step is doing, from the file it produces (the core names the package path). */
export function describeStep(what: string): string {
  const w = what.trim();
  if (!w) return 'Preparing';
  if (/^(Scans|Evidence)\//.test(w)) return `Adding ${w}`;
  if (/\.pdf$/i.test(w)) return `Rendering ${w}`;
  if (/\.(json|csv)$/i.test(w)) return `Writing ${w}`;
  return w.charAt(0).toUpperCase() + w.slice(1);
}

/** Whole percent of the steps done (0–100). */
export function stepPercent(p: Pick<PackageProgress, 'step' | 'steps'> | null): number {
  if (!p || !(p.steps > 0)) return 0;
  return Math.max(0, Math.min(100, Math.floor((p.step / p.steps) * 100)));
}

/** "Step 3 of 12" for the step being worked on (`step` counts the steps already done). */
export function stepLabel(p: Pick<PackageProgress, 'step' | 'steps'> | null): string {
  if (!p || !(p.steps > 0)) return 'Starting';
  return `Step ${Math.min(p.step + 1, p.steps)} of ${p.steps}`;
}

/** The output path with a `.zip` extension (save dialogs on some systems do not add it). */
export function withZipExtension(path: string): string {
  const p = path.trim();
  if (!p || /\.zip$/i.test(p)) return p;
  return `${p}.zip`;
}

/** The package's files counted and sized per top-level folder, in first-seen order. */
export function folderTotals(files: Pick<PackagedFile, 'path' | 'size'>[]): { folder: string; count: number; size: number }[] {
  const out: { folder: string; count: number; size: number }[] = [];
  for (const f of files) {
    const slash = f.path.indexOf('/');
    const folder = slash > 0 ? f.path.slice(0, slash) : '(top level)';
    let row = out.find((r) => r.folder === folder);
    if (!row) {
      row = { folder, count: 0, size: 0 };
      out.push(row);
    }
    row.count += 1;
    row.size += f.size ?? 0;
  }
  return out;
}

/** One problem of a verification, split into the file it names (if any) and what is wrong. */
export interface ProblemLine {
  file: string | null;
  text: string;
}

/**
 * Splits each problem line (`path: what is wrong`, or `"name": …` for unsafe entry names) into the
 * file and the rest, using the file names the core reported. The longest matching name wins, so a
 * folder never shadows a file inside it.
 */
export function problemLines(check: Pick<PackageCheck, 'problems' | 'files'>): ProblemLine[] {
  const names = [...new Set(check.files)].sort((a, b) => b.length - a.length);
  return check.problems.map((p) => {
    for (const name of names) {
      for (const prefix of [`${name}: `, `${JSON.stringify(name)}: `]) {
        if (p.startsWith(prefix)) return { file: name, text: p.slice(prefix.length) };
      }
    }
    return { file: null, text: p };
  });
}

/** The verification in one sentence, and whether it passed. */
export function checkSummary(check: PackageCheck): { ok: boolean; headline: string } {
  const files = `${check.file_count} ${check.file_count === 1 ? 'file' : 'files'}`;
  if (check.ok) {
    const signer = check.signer ? ` Signed by the key with fingerprint ${check.signer.fingerprint}.` : '';
    return { ok: true, headline: `The package is intact: ${files} match the signed manifest.${signer}` };
  }
  const n = check.problems.length;
  const named = new Set(problemLines(check).flatMap((l) => (l.file ? [l.file] : []))).size;
  const which = named ? ` concerning ${named} ${named === 1 ? 'file' : 'files'}` : '';
  return {
    ok: false,
    headline: `The package does not verify: ${n} ${n === 1 ? 'problem' : 'problems'}${which}. Do not rely on its contents.`,
  };
}

/** Whether two public keys (hex, any case, spaces or colons allowed) are the same. */
export function sameKey(a: string, b: string): boolean {
  const clean = (s: string) => s.replace(/[\s:]/g, '').toLowerCase();
  return clean(a) !== '' && clean(a) === clean(b);
}
