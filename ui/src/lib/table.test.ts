import { describe, expect, it } from 'vitest';
import { cellText, filterRows, nextSort, rowWindow, searchIndex, sortRows } from './table';

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
