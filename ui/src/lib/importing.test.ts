import { describe, expect, it } from 'vitest';
import { countChanges, fileName, formatBytes, importErrorMessage, percentDone } from './importing';

describe('percentDone', () => {
  it.each([
    [0, 0, 0],
    [5, 0, 0],
    [0, 100, 0],
    [49, 100, 49],
    [100, 100, 100],
    [150, 100, 100],
    [1, 3, 33],
  ])('%d of %d → %d%%', (done, total, pct) => expect(percentDone(done, total)).toBe(pct));
});

describe('formatBytes', () => {
  it.each([
    [999, '999 B'],
    [1500, '1.5 kB'],
    [12_345_678, '12.3 MB'],
  ])('%d → %s', (n, text) => expect(formatBytes(n)).toBe(text));
});

describe('importErrorMessage', () => {
  it('says a cancelled import stored nothing', () => {
    expect(importErrorMessage('Cancelled', 'read cancelled')).toBe('Import cancelled; nothing was stored.');
  });
  it('keeps the reason of other failures', () => {
    expect(importErrorMessage('ImportFailed', 'ssp.xml:3:1: not OSCAL')).toContain('ssp.xml:3:1: not OSCAL');
  });
});

describe('countChanges', () => {
  it('counts each kind over all lists', () => {
    const c = (kind: string) => ({ kind, uuid: 'u', name: 'n', summary: '' });
    expect(
      countChanges({
        components: [c('added'), c('changed')],
        inventory_items: [c('removed')],
        implemented_requirements: [c('changed'), c('changed')],
      }),
    ).toEqual({ added: 1, removed: 1, changed: 3, total: 5 });
  });
});

describe('fileName', () => {
  it.each([
    ['/a/b/ssp.xml', 'ssp.xml'],
    ['C:\\x\\ssp.json', 'ssp.json'],
    ['ssp.xml', 'ssp.xml'],
  ])('%s → %s', (path, name) => expect(fileName(path)).toBe(name));
});
