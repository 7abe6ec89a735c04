// Pure logic of the one data table (components/DataTable.svelte): column declarations, the text
// and column filters, sorting, keyboard movement, selection and the windowing math that keeps
// 20,000+ rows smooth. Unit-tested in table.test.ts; the component only wires these to the DOM.
import type { Snippet } from 'svelte';

/** The text a cell shows for a value: empty for null, yes/no for booleans, lists joined. */
export function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (Array.isArray(value)) return value.map(cellText).join(', ');
  return String(value);
}

/**
 * One column of a table, declared as data by the page.
 *
 * `value` is the cell's raw value: what the text filter searches and, unless `sort` says
 * otherwise, what the column sorts on. What the cell shows is `cell` (a snippet, for badges and
 * other markup), else `text`, else the value as `cellText` writes it.
 */
export interface Column<T> {
  /** Stable id: the header's `data-sort` attribute and the sort state's column. */
  key: string;
  label: string;
  /** CSS width (`12%`, `6rem`); columns without one share what is left. */
  width?: string;
  /** Header tooltip, for abbreviated labels; defaults to the label. */
  title?: string;
  value: (row: T) => unknown;
  /** The displayed text when it differs from the value (a formatted size, a short hash). */
  text?: (row: T) => string;
  /** What to sort on when the value would sort wrongly (a rank, a number). */
  sort?: (row: T) => unknown;
  /** False for a column that cannot be sorted. */
  sortable?: boolean;
  /** False to leave the column out of the text filter. */
  search?: boolean;
  /** Custom rendering of the cell; the `<td>` (class, tooltip) stays the table's. */
  cell?: Snippet<[T]>;
  /** Classes of each body cell (`badge-cell`, `right`, `mono`). */
  class?: string;
  /** Classes of the header cell. */
  headClass?: string;
  /** The cell's tooltip; defaults to its text. */
  tip?: (row: T) => string;
}

/** What a cell shows as plain text (and its default tooltip). */
export function columnText<T>(column: Column<T>, row: T): string {
  return column.text ? column.text(row) : cellText(column.value(row));
}

/** One lower-cased string per row holding every column, so filtering is one `includes` per row. */
export function searchIndex<T>(rows: T[], columns: (keyof T)[]): string[] {
  return rows.map((r) => columns.map((c) => cellText(r[c])).join('\u0000').toLowerCase());
}

/** The values of the columns the text filter searches (all but those marked `search: false`). */
export function columnValues<T>(columns: Column<T>[], row: T): unknown[] {
  return columns.filter((c) => c.search !== false).map((c) => c.value(row));
}

/**
 * The search index of `rows`: per row, what `search` gives, or by default the searchable columns'
 * values. A page whose filter also finds fields the table does not show (a uuid) passes `search`.
 */
export function columnIndex<T>(rows: T[], columns: Column<T>[], search?: (row: T) => unknown[]): string[] {
  const text = search ?? ((r: T) => columnValues(columns, r));
  return rows.map((r) => text(r).map(cellText).join('\u0000').toLowerCase());
}

/**
 * The rows that pass `where` (the page's column filters) and whose index text contains every word
 * of `query` (case-insensitive), in order. `index[i]` belongs to `rows[i]`.
 */
export function filterRows<T>(rows: T[], index: string[], query: string, where?: ((row: T) => boolean) | null): T[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (!words.length && !where) return rows;
  return rows.filter((row, i) => (!where || where(row)) && words.every((w) => index[i].includes(w)));
}

export type SortDir = 'asc' | 'desc';

/** Which column a table is sorted on, and which way. */
export interface SortState {
  column: string;
  dir: SortDir;
}

const collator = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });

type SortKey = { kind: 'empty' } | { kind: 'number'; n: number } | { kind: 'text'; s: string };

function sortKey(value: unknown): SortKey {
  if (typeof value === 'number' && Number.isFinite(value)) return { kind: 'number', n: value };
  const s = cellText(value);
  return s ? { kind: 'text', s } : { kind: 'empty' };
}

/**
 * A sorted copy of `rows` by the value `key` gives each. Numbers compare as numbers, everything
 * else as text with numbers inside it in natural order (`web-2` before `web-10`). Empty values go
 * last in either direction, so sorting never buries the filled rows under blanks; ties keep their
 * original order.
 */
export function sortBy<T>(rows: T[], key: (row: T) => unknown, dir: SortDir): T[] {
  const sign = dir === 'asc' ? 1 : -1;
  const keyed = rows.map((row, i) => ({ row, i, k: sortKey(key(row)) }));
  keyed.sort((a, b) => {
    if (a.k.kind === 'empty' || b.k.kind === 'empty') {
      if (a.k.kind !== b.k.kind) return a.k.kind === 'empty' ? 1 : -1;
      return a.i - b.i;
    }
    const c =
      a.k.kind === 'number' && b.k.kind === 'number'
        ? a.k.n - b.k.n
        : collator.compare(a.k.kind === 'number' ? String(a.k.n) : a.k.s, b.k.kind === 'number' ? String(b.k.n) : b.k.s);
    return sign * c || a.i - b.i;
  });
  return keyed.map((k) => k.row);
}

/** A sorted copy of `rows` by the field `column` (see `sortBy`). */
export function sortRows<T>(rows: T[], column: keyof T, dir: SortDir): T[] {
  return sortBy(rows, (r) => r[column], dir);
}

/** The next sort after a click on `column`: a new column sorts ascending, the same one flips. */
export function nextSort<C>(current: { column: C; dir: SortDir } | null, column: C): { column: C; dir: SortDir } {
  if (current && current.column === column) return { column, dir: current.dir === 'asc' ? 'desc' : 'asc' };
  return { column, dir: 'asc' };
}

/** The header's `aria-sort` for `column` under `sort`. */
export function ariaSort(sort: SortState | null, column: string): 'ascending' | 'descending' | 'none' {
  if (!sort || sort.column !== column) return 'none';
  return sort.dir === 'asc' ? 'ascending' : 'descending';
}

/**
 * What a table shows: the rows filtered by `query` and `where`, then sorted by the column `sort`
 * names (by its `sort` key, else its value). An unknown sort column leaves the order alone.
 */
export function tableView<T>(
  rows: T[],
  index: string[],
  columns: Column<T>[],
  opts: { query: string; where?: ((row: T) => boolean) | null; sort: SortState | null },
): T[] {
  const filtered = filterRows(rows, index, opts.query, opts.where);
  const col = opts.sort ? columns.find((c) => c.key === opts.sort?.column) : undefined;
  if (!opts.sort || !col) return filtered;
  return sortBy(filtered, col.sort ?? col.value, opts.sort.dir);
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

/** The index `step` rows away from `current` in a list of `count`, clamped to the list. */
export function stepIndex(current: number, step: number, count: number): number {
  if (count <= 0) return -1;
  if (current < 0) return step > 0 ? 0 : count - 1;
  return Math.max(0, Math.min(count - 1, current + step));
}

/** How many rows PageUp/PageDown move in a viewport: a screenful less one row kept for context. */
export function pageRows(viewport: number, rowHeight: number): number {
  if (rowHeight <= 0) return 1;
  return Math.max(1, Math.floor(viewport / rowHeight) - 1);
}

/**
 * Where a navigation key moves the active row from `current` (-1 for none) in `count` rows, with
 * `page` rows per PageUp/PageDown; null for a key that does not move it (or an empty list).
 */
export function keyTarget(key: string, current: number, count: number, page: number): number | null {
  if (count <= 0) return null;
  switch (key) {
    case 'ArrowDown':
      return stepIndex(current, 1, count);
    case 'ArrowUp':
      return stepIndex(current, -1, count);
    case 'PageDown':
      return stepIndex(current, page, count);
    case 'PageUp':
      return current < 0 ? 0 : stepIndex(current, -page, count);
    case 'Home':
      return 0;
    case 'End':
      return count - 1;
    default:
      return null;
  }
}

/** The scrollTop that brings row `index` (of `rowHeight`) into a viewport, or the current one. */
export function scrollToShow(index: number, rowHeight: number, scrollTop: number, viewport: number): number {
  const top = index * rowHeight;
  if (top < scrollTop) return top;
  if (top + rowHeight > scrollTop + viewport) return top + rowHeight - viewport;
  return scrollTop;
}

/**
 * A new multi-selection after a click on `id`: plain click selects only it; ctrl/cmd toggles it;
 * shift selects the range from `anchor` to it in `order`.
 */
export function clickSelect(
  selected: Set<string>,
  order: string[],
  id: string,
  anchor: string | null,
  mods: { toggle: boolean; range: boolean },
): Set<string> {
  if (mods.range && anchor) {
    const a = order.indexOf(anchor);
    const b = order.indexOf(id);
    if (a >= 0 && b >= 0) {
      const [lo, hi] = a < b ? [a, b] : [b, a];
      return new Set([...selected, ...order.slice(lo, hi + 1)]);
    }
  }
  if (mods.toggle) {
    const next = new Set(selected);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    return next;
  }
  return new Set([id]);
}
