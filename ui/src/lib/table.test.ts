import { describe, expect, it } from 'vitest';
import {
  ariaSort,
  cellText,
  clickSelect,
  columnIndex,
  columnText,
  columnValues,
  filterRows,
  keyTarget,
  nextSort,
  pageRows,
  rowWindow,
  scrollToShow,
  searchIndex,
  sortBy,
  sortRows,
  stepIndex,
  tableView,
  type Column,
} from './table';

interface Row {
  id: string;
  ip: string;
  public: boolean | null;
  roles: string[];
}

const rows: Row[] = [
  { id: 'web-10', ip: '10.0.0.10', public: true, roles: ['admin'] },
  { id: 'web-2', ip: '10.0.0.2', public: null, roles: [] },
  { id: 'db-1', ip: '', public: false, roles: ['dba', 'ops'] },
];

describe('cellText', () => {
  it.each([
    [null, ''],
    [undefined, ''],
    [true, 'yes'],
    [false, 'no'],
    [['a', 'b'], 'a, b'],
    [42, '42'],
  ])('%j → %j', (value, text) => expect(cellText(value)).toBe(text));
});

describe('filterRows', () => {
  const index = searchIndex(rows, ['id', 'ip', 'public', 'roles']);
  it('keeps everything for an empty query', () => expect(filterRows(rows, index, '  ')).toHaveLength(3));
  it('matches any column, case-insensitively', () => {
    expect(filterRows(rows, index, 'DBA').map((r) => r.id)).toEqual(['db-1']);
    expect(filterRows(rows, index, '10.0.0.2').map((r) => r.id)).toEqual(['web-2']);
  });
  it('needs every word to match', () => {
    expect(filterRows(rows, index, 'web yes').map((r) => r.id)).toEqual(['web-10']);
    expect(filterRows(rows, index, 'web ops')).toEqual([]);
  });
});

describe('sortRows', () => {
  it('sorts numbers inside text naturally', () => {
    expect(sortRows(rows, 'id', 'asc').map((r) => r.id)).toEqual(['db-1', 'web-2', 'web-10']);
    expect(sortRows(rows, 'id', 'desc').map((r) => r.id)).toEqual(['web-10', 'web-2', 'db-1']);
  });
  it('puts empty cells last in both directions', () => {
    expect(sortRows(rows, 'ip', 'asc').map((r) => r.id)).toEqual(['web-2', 'web-10', 'db-1']);
    expect(sortRows(rows, 'ip', 'desc').map((r) => r.id)).toEqual(['web-10', 'web-2', 'db-1']);
    expect(sortRows(rows, 'public', 'asc').map((r) => r.id)).toEqual(['db-1', 'web-10', 'web-2']);
  });
  it('leaves the input alone', () => {
    sortRows(rows, 'id', 'asc');
    expect(rows[0].id).toBe('web-10');
  });
});

describe('nextSort', () => {
  it('starts ascending and flips on the same column', () => {
    const a = nextSort(null, 'id');
    expect(a).toEqual({ column: 'id', dir: 'asc' });
    expect(nextSort(a, 'id')).toEqual({ column: 'id', dir: 'desc' });
    expect(nextSort({ column: 'id', dir: 'desc' }, 'ip')).toEqual({ column: 'ip', dir: 'asc' });
  });
});

describe('rowWindow', () => {
  it('renders only the visible rows and a buffer of 20,000', () => {
    const w = rowWindow(0, 600, 30, 20_000, 10);
    expect(w).toEqual({ start: 0, end: 31, padTop: 0, padBottom: (20_000 - 31) * 30 });
  });
  it('keeps the total height constant while scrolling', () => {
    for (const top of [0, 15, 30, 12_345, 599_970, 600_000, 10_000_000]) {
      const w = rowWindow(top, 600, 30, 20_000, 10);
      expect(w.padTop + (w.end - w.start) * 30 + w.padBottom).toBe(20_000 * 30);
      expect(w.end - w.start).toBeLessThanOrEqual(21 + 20);
      expect(w.start).toBeGreaterThanOrEqual(0);
      expect(w.end).toBeLessThanOrEqual(20_000);
    }
  });
  it('shows the row under the top edge', () => {
    const w = rowWindow(12_345, 600, 30, 20_000, 10);
    expect(w.start).toBe(Math.floor(12_345 / 30) - 10);
    expect(w.start + 10).toBe(411);
  });
  it('clamps a scroll past the end to the last rows', () => {
    const w = rowWindow(10_000_000, 600, 30, 20_000, 10);
    expect(w.end).toBe(20_000);
    expect(w.start).toBe(20_000 - 1 - 10);
  });
  it('handles short and empty lists', () => {
    expect(rowWindow(0, 600, 30, 5, 10)).toEqual({ start: 0, end: 5, padTop: 0, padBottom: 0 });
    expect(rowWindow(0, 600, 30, 0, 10)).toEqual({ start: 0, end: 0, padTop: 0, padBottom: 0 });
  });
});

/** Columns declared the way the pages declare them. */
const columns: Column<Row>[] = [
  { key: 'id', label: 'ID', value: (r) => r.id },
  { key: 'ip', label: 'IP', value: (r) => r.ip, text: (r) => r.ip || '—' },
  // Sorts on the number of roles, not their names.
  { key: 'roles', label: 'Roles', value: (r) => r.roles, sort: (r) => r.roles.length },
  { key: 'public', label: 'Public', value: (r) => r.public, search: false },
];

describe('columns', () => {
  it('show their text, else the value as cellText writes it', () => {
    expect(columnText(columns[1], rows[2])).toBe('—');
    expect(columnText(columns[2], rows[2])).toBe('dba, ops');
    expect(columnText(columns[3], rows[0])).toBe('yes');
  });
  it('index only the searchable columns by default', () => {
    const index = columnIndex(rows, columns);
    expect(filterRows(rows, index, 'yes')).toEqual([]);
    expect(filterRows(rows, index, 'ops').map((r) => r.id)).toEqual(['db-1']);
  });
  it('index what the page\'s search gives instead, when it gives one', () => {
    const index = columnIndex(rows, columns, (r) => [...columnValues(columns, r), `host-${r.id}`]);
    expect(filterRows(rows, index, 'HOST-DB').map((r) => r.id)).toEqual(['db-1']);
    expect(filterRows(rows, index, 'ops').map((r) => r.id)).toEqual(['db-1']);
    expect(filterRows(rows, columnIndex(rows, columns, (r) => [r.ip]), 'web')).toEqual([]);
  });
  it('search the value, not the shortened text', () => {
    // The placeholder dash is not data: nothing matches it.
    expect(filterRows(rows, columnIndex(rows, columns), '—')).toEqual([]);
  });
});

describe('filterRows with column filters', () => {
  const index = searchIndex(rows, ['id', 'ip']);
  it('applies the page\'s predicate and the text together', () => {
    expect(filterRows(rows, index, '', (r) => r.public !== null).map((r) => r.id)).toEqual(['web-10', 'db-1']);
    expect(filterRows(rows, index, 'web', (r) => r.public !== null).map((r) => r.id)).toEqual(['web-10']);
    expect(filterRows(rows, index, 'db', (r) => r.public === true)).toEqual([]);
  });
  it('returns the same array when nothing filters', () => {
    expect(filterRows(rows, index, '', null)).toBe(rows);
  });
});

describe('sortBy', () => {
  it('compares numbers as numbers', () => {
    const n = [{ v: 10 }, { v: 9 }, { v: -1 }, { v: 100 }];
    expect(sortBy(n, (x) => x.v, 'asc').map((x) => x.v)).toEqual([-1, 9, 10, 100]);
    expect(sortBy(n, (x) => x.v, 'desc').map((x) => x.v)).toEqual([100, 10, 9, -1]);
  });
  it('keeps empties last and ties in order', () => {
    const n = [{ id: 'a', v: null }, { id: 'b', v: 2 }, { id: 'c', v: '' }, { id: 'd', v: 2 }, { id: 'e', v: 1 }];
    expect(sortBy(n, (x) => x.v, 'asc').map((x) => x.id)).toEqual(['e', 'b', 'd', 'a', 'c']);
    expect(sortBy(n, (x) => x.v, 'desc').map((x) => x.id)).toEqual(['b', 'd', 'e', 'a', 'c']);
  });
});

describe('tableView', () => {
  const index = columnIndex(rows, columns);
  it('filters, then sorts by the column\'s sort key', () => {
    const view = tableView(rows, index, columns, { query: '', sort: { column: 'roles', dir: 'desc' } });
    expect(view.map((r) => r.id)).toEqual(['db-1', 'web-10', 'web-2']);
    const filtered = tableView(rows, index, columns, { query: 'web', sort: { column: 'id', dir: 'desc' } });
    expect(filtered.map((r) => r.id)).toEqual(['web-10', 'web-2']);
  });
  it('keeps the order for no sort or an unknown column', () => {
    expect(tableView(rows, index, columns, { query: '', sort: null })).toBe(rows);
    expect(tableView(rows, index, columns, { query: '', sort: { column: 'nope', dir: 'asc' } }).map((r) => r.id)).toEqual(['web-10', 'web-2', 'db-1']);
  });
  it('sorts 20,000 rows on a numeric key', () => {
    const many = Array.from({ length: 20_000 }, (_, i) => ({ id: `r${i}`, ip: '', public: null, roles: Array<string>((i * 7919) % 13).fill('x') }));
    const view = tableView(many, columnIndex(many, columns), columns, { query: '', sort: { column: 'roles', dir: 'asc' } });
    expect(view).toHaveLength(20_000);
    expect(view.every((r, i) => i === 0 || view[i - 1].roles.length <= r.roles.length)).toBe(true);
    expect(view[0].roles.length).toBe(0);
    expect(view[19_999].roles.length).toBe(12);
  });
});

describe('ariaSort', () => {
  it('names the direction on the sorted column only', () => {
    expect(ariaSort(null, 'id')).toBe('none');
    expect(ariaSort({ column: 'id', dir: 'asc' }, 'id')).toBe('ascending');
    expect(ariaSort({ column: 'id', dir: 'desc' }, 'id')).toBe('descending');
    expect(ariaSort({ column: 'ip', dir: 'asc' }, 'id')).toBe('none');
  });
});

describe('keyboard movement', () => {
  it.each([
    [-1, 1, 10, 0],
    [-1, -1, 10, 9],
    [3, 1, 10, 4],
    [9, 1, 10, 9],
    [0, -1, 10, 0],
    [0, 1, 0, -1],
  ])('steps from %i by %i in %i → %i', (cur, step, count, want) => {
    expect(stepIndex(cur, step, count)).toBe(want);
  });

  it.each([
    ['ArrowDown', 4, 5],
    ['ArrowUp', 4, 3],
    ['ArrowDown', 99, 99],
    ['ArrowUp', 0, 0],
    ['Home', 50, 0],
    ['End', 3, 99],
    ['PageDown', 10, 28],
    ['PageDown', 90, 99],
    ['PageUp', 30, 12],
    ['PageUp', 5, 0],
    ['ArrowDown', -1, 0],
    ['ArrowUp', -1, 99],
    ['PageDown', -1, 0],
    ['PageUp', -1, 0],
  ])('%s from %i in 100 rows → %i', (key, cur, want) => {
    expect(keyTarget(key, cur, 100, 18)).toBe(want);
  });

  it('ignores other keys and empty lists', () => {
    expect(keyTarget('a', 3, 100, 18)).toBeNull();
    expect(keyTarget('Enter', 3, 100, 18)).toBeNull();
    expect(keyTarget('ArrowDown', -1, 0, 18)).toBeNull();
  });

  it('pages a screenful less one row', () => {
    expect(pageRows(600, 30)).toBe(19);
    expect(pageRows(40, 34)).toBe(1);
    expect(pageRows(0, 34)).toBe(1);
  });

  it('scrolls just enough to show a row', () => {
    expect(scrollToShow(5, 30, 0, 300)).toBe(0);
    expect(scrollToShow(10, 30, 0, 300)).toBe(30);
    expect(scrollToShow(2, 30, 300, 300)).toBe(60);
  });

  it('brings a row moved to by End into the window that is then rendered', () => {
    const top = scrollToShow(19_999, 34, 0, 600);
    const w = rowWindow(top, 600, 34, 20_000, 12);
    expect(w.start).toBeLessThanOrEqual(19_999);
    expect(w.end).toBe(20_000);
  });
});

describe('multi-select', () => {
  const order = ['a', 'b', 'c', 'd', 'e'];
  it('plain click, toggle and range', () => {
    let s = clickSelect(new Set(), order, 'b', null, { toggle: false, range: false });
    expect([...s]).toEqual(['b']);
    s = clickSelect(s, order, 'd', 'b', { toggle: true, range: false });
    expect([...s].sort()).toEqual(['b', 'd']);
    s = clickSelect(s, order, 'd', 'b', { toggle: true, range: false });
    expect([...s]).toEqual(['b']);
    s = clickSelect(s, order, 'e', 'b', { toggle: false, range: true });
    expect([...s].sort()).toEqual(['b', 'c', 'd', 'e']);
  });
  it('selects a range upwards and falls back to one row without an anchor in view', () => {
    expect([...clickSelect(new Set(), order, 'a', 'c', { toggle: false, range: true })].sort()).toEqual(['a', 'b', 'c']);
    expect([...clickSelect(new Set(['e']), order, 'b', 'zz', { toggle: false, range: true })]).toEqual(['b']);
  });
});
