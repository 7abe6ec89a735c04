// Pure helpers for the large tables: filtering, sorting and the windowing math of the virtualized
// inventory. Unit-tested in table.test.ts; the pages only wire them to the DOM.

/** The text a cell shows for a value: empty for null, yes/no for booleans, lists joined. */
export function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (Array.isArray(value)) return value.map(cellText).join(', ');
  return String(value);
}

/** One lower-cased string per row holding every column, so filtering is one `includes` per row. */
export function searchIndex<T>(rows: T[], columns: (keyof T)[]): string[] {
  return rows.map((r) => columns.map((c) => cellText(r[c])).join('\u0000').toLowerCase());
}

/** The rows whose index text contains every word of `query` (case-insensitive), in order. */
export function filterRows<T>(rows: T[], index: string[], query: string): T[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (!words.length) return rows;
  return rows.filter((_, i) => words.every((w) => index[i].includes(w)));
}

export type SortDir = 'asc' | 'desc';

const collator = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });

/**
 * A sorted copy of `rows` by `column`. Empty cells go last in either direction, so sorting never
 * buries the filled rows under blanks; ties keep their original order.
 */
export function sortRows<T>(rows: T[], column: keyof T, dir: SortDir): T[] {
  const sign = dir === 'asc' ? 1 : -1;
  const keyed = rows.map((row, i) => ({ row, i, key: cellText(row[column]) }));
  keyed.sort((a, b) => {
    if (!a.key !== !b.key) return a.key ? -1 : 1;
    return sign * collator.compare(a.key, b.key) || a.i - b.i;
  });
  return keyed.map((k) => k.row);
}

/** The next sort after a click on `column`: a new column sorts ascending, the same one flips. */
export function nextSort<C>(current: { column: C; dir: SortDir } | null, column: C): { column: C; dir: SortDir } {
  if (current && current.column === column) return { column, dir: current.dir === 'asc' ? 'desc' : 'asc' };
  return { column, dir: 'asc' };
}

/** Which rows a virtualized list renders and how much empty space stands in for the rest. */
export interface RowWindow {
  /** First rendered row. */
  start: number;
  /** One past the last rendered row. */
  end: number;
  /** Height of the space above the first rendered row, in pixels. */
  padTop: number;
  /** Height of the space below the last rendered row, in pixels. */
  padBottom: number;
}

/**
 * The rows visible in a viewport of `viewport` pixels scrolled to `scrollTop`, plus `buffer`
 * rows on each side, for `count` rows of `rowHeight` pixels each.
 */
export function rowWindow(scrollTop: number, viewport: number, rowHeight: number, count: number, buffer: number): RowWindow {
  if (count <= 0 || rowHeight <= 0) return { start: 0, end: 0, padTop: 0, padBottom: 0 };
  const top = Math.max(0, scrollTop);
  const first = Math.min(count - 1, Math.floor(top / rowHeight));
  const visible = Math.ceil(Math.max(0, viewport) / rowHeight) + 1;
  const start = Math.max(0, first - buffer);
  const end = Math.min(count, first + visible + buffer);
  return { start, end, padTop: start * rowHeight, padBottom: (count - end) * rowHeight };
}
