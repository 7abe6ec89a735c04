import { describe, expect, it } from 'vitest';
import { addPaths, parsePaths, percentText, riskRank, scanErrorMessage, topScore, weaknessSearchText } from './scans';
import { columnIndex, filterRows, sortBy } from './table';
import type { WeaknessRow } from './ipc/bindings';

function row(over: Partial<WeaknessRow>): WeaknessRow {
  return {
    id: 1, key: 'k', tool: 'Nessus', plugin_id: '1', name: 'n', kind: 'vulnerability', severity: 'high',
    fedramp_risk: 'high', cvss: [], cves: [], correlated: [], first_seen: '', last_seen: '', review: 'pending',
    merged_into: null, review_rationale: '', review_evidence: [], library_entry_id: null, finding_id: null,
    assets: [], instance_count: 1, asset_count: 1, synopsis: null, solution: null, ...over,
  } as WeaknessRow;
}

describe('parsePaths', () => {
  it.each([
    ['', []],
    ['  /a.nessus  \n\n/b.xml\r\n', ['/a.nessus', '/b.xml']],
    ['"/with space.nessus"\n\'/q.json\'', ['/with space.nessus', '/q.json']],
  ])('%j', (text, want) => expect(parsePaths(text)).toEqual(want));

  it('adds chosen paths once', () => {
    expect(addPaths('/a\n', ['/a', '/b'])).toBe('/a\n/b');
  });
});

describe('scanErrorMessage', () => {
  it('drops the command-line hint of a duplicate', () => {
    expect(scanErrorMessage('AlreadyImported', 'x.nessus: already imported as "x.nessus" on 2026 by me; use --replace to replace that import'))
      .toBe('x.nessus: already imported as "x.nessus" on 2026 by me.');
    expect(scanErrorMessage('AlreadyImported', '/d/x.nessus: already imported as "x.nessus"; use --replace to replace that import', '/d/x.nessus'))
      .toBe('Already imported as "x.nessus".');
  });
  it('says nothing was stored', () => {
    expect(scanErrorMessage('Cancelled', '')).toContain('nothing');
    expect(scanErrorMessage('ImportFailed', 'bad.xml: line 3: broken')).toBe('bad.xml: line 3: broken. Nothing of this file was stored.');
  });
});

describe('weaknesses', () => {
  it('ranks risks High first', () => {
    expect(['low', null, 'high', 'moderate'].map(riskRank)).toEqual([2, 3, 0, 1]);
  });
  it('sorts by risk rank and by count numerically', () => {
    const rows = [row({ id: 1, fedramp_risk: 'low', asset_count: 10 }), row({ id: 2, fedramp_risk: 'high', asset_count: 9 })];
    // The Weaknesses table sorts its risk column on riskRank and its asset column on the count.
    expect(sortBy(rows, (w) => riskRank(w.fedramp_risk), 'asc').map((r) => r.id)).toEqual([2, 1]);
    expect(sortBy(rows, (w) => w.asset_count, 'desc').map((r) => r.id)).toEqual([1, 2]);
  });
  it('filters on severity and CVE as well as the shown columns', () => {
    const rows = [row({ id: 1, severity: 'info', fedramp_risk: null }), row({ id: 2, cves: ['CVE-2021-44228'] })];
    const index = columnIndex(rows, [], weaknessSearchText);
    expect(filterRows(rows, index, 'info').map((r) => r.id)).toEqual([1]);
    expect(filterRows(rows, index, 'cve-2021').map((r) => r.id)).toEqual([2]);
  });
  it('takes the highest CVSS score', () => {
    expect(topScore(row({ cvss: [{ version: '3.1', score: 5, vector: null, source: null }, { version: '4.0', score: 7.5, vector: null, source: null }] }))).toBe(7.5);
    expect(topScore(row({}))).toBeNull();
  });
  it('writes percentages', () => {
    expect(percentText(50, 2)).toBe('50.0%');
    expect(percentText(0, 0)).toBe('—');
  });
});
