// Small pure helpers shared by the pages; unit-tested in format.test.ts.

/** `2026-02-02T10:00:05Z` → `2026-02-02 10:00:05 UTC`. */
export function formatTimestamp(iso: string): string {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2})/.exec(iso);
  return m ? `${m[1]} ${m[2]} UTC` : iso;
}

/** A file name for a new engagement: the CSO name made safe for file systems, plus `.assay`. */
export function suggestedFileName(csoName: string): string {
  const base = csoName
    .trim()
    .replace(/[^A-Za-z0-9 ._-]+/g, '')
    .replace(/\s+/g, '-')
    .replace(/^[.-]+/, '');
  return `${base || 'engagement'}.assay`;
}

/** Joins a folder and a file name with exactly one separator. */
export function joinPath(dir: string, name: string): string {
  if (!dir) return name;
  const sep = dir.includes('\\') && !dir.includes('/') ? '\\' : '/';
  return dir.endsWith(sep) ? dir + name : dir + sep + name;
}

/**
 * Runs `save` once the user has paused typing for `delayMs`; a newer value replaces a pending one.
 * `flush` saves a pending value immediately (on blur), so nothing typed is lost.
 */
export function debounced<T>(save: (value: T) => void, delayMs: number) {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let pending: { value: T } | undefined;
  const run = () => {
    timer = undefined;
    if (pending) {
      const { value } = pending;
      pending = undefined;
      save(value);
    }
  };
  return {
    push(value: T) {
      pending = { value };
      if (timer) clearTimeout(timer);
      timer = setTimeout(run, delayMs);
    },
    flush() {
      if (timer) clearTimeout(timer);
      run();
    },
  };
}
