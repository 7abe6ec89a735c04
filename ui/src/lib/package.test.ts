import { describe, expect, it } from 'vitest';
import type { PackageCheck } from './ipc/bindings';
import {
  checkSummary,
  describeStep,
  exactBytes,
  folderTotals,
  formatSize,
  problemLines,
  sameKey,
  stepLabel,
  stepPercent,
  withZipExtension,
} from './package';

describe('formatSize', () => {
  it.each([
    [0, '0 B'],
    [999, '999 B'],
    [1000, '1.0 kB'],
    [1536, '1.5 kB'],
    [999_949, '999.9 kB'],
    [999_960, '1.0 MB'],
    [12_345_678, '12.3 MB'],
    [4_200_000_000, '4.2 GB'],
    [-1, '—'],
    [Number.NaN, '—'],
  ])('%d → %s', (n, text) => expect(formatSize(n)).toBe(text));

  it('gives exact counts with separators', () => {
    expect(exactBytes(1)).toBe('1 byte');
    expect(exactBytes(1_234_567)).toBe('1,234,567 bytes');
    expect(exactBytes(null)).toBe('size unknown');
    expect(formatSize(null)).toBe('—');
  });
});

describe('progress', () => {
  it.each([
    ['SAR/Northwind_SAR_v1.0_01152026.pdf', 'Rendering SAR/Northwind_SAR_v1.0_01152026.pdf'],
    ['POAM/x_POAM-OSCAL.json', 'Writing POAM/x_POAM-OSCAL.json'],
    ['SAR/x_SAR-Evidence-Index.csv', 'Writing SAR/x_SAR-Evidence-Index.csv'],
    ['Scans/vulnerability/0123456789ab_scan.nessus', 'Adding Scans/vulnerability/0123456789ab_scan.nessus'],
    ['Evidence/0123456789ab_photo.png', 'Adding Evidence/0123456789ab_photo.png'],
    ['signing the package', 'Signing the package'],
    ['  ', 'Preparing'],
  ])('%s → %s', (what, text) => expect(describeStep(what)).toBe(text));

  it('counts the step being worked on and the share done', () => {
    expect(stepLabel(null)).toBe('Starting');
    expect(stepLabel({ step: 0, steps: 9 })).toBe('Step 1 of 9');
    expect(stepLabel({ step: 8, steps: 9 })).toBe('Step 9 of 9');
    expect(stepLabel({ step: 9, steps: 9 })).toBe('Step 9 of 9');
    expect(stepPercent(null)).toBe(0);
    expect(stepPercent({ step: 0, steps: 0 })).toBe(0);
    expect(stepPercent({ step: 3, steps: 9 })).toBe(33);
    expect(stepPercent({ step: 12, steps: 9 })).toBe(100);
  });
});

describe('withZipExtension', () => {
  it.each([
    ['/tmp/pkg', '/tmp/pkg.zip'],
    ['/tmp/pkg.zip', '/tmp/pkg.zip'],
    ['/tmp/PKG.ZIP', '/tmp/PKG.ZIP'],
    ['  /tmp/a b.zip  ', '/tmp/a b.zip'],
    ['/tmp/x_v1.0_01152026', '/tmp/x_v1.0_01152026.zip'],
    ['', ''],
  ])('%s → %s', (input, out) => expect(withZipExtension(input)).toBe(out));
});

describe('folderTotals', () => {
  it('counts and sizes each top-level folder in order', () => {
    expect(
      folderTotals([
        { path: 'SAP/a.pdf', size: 10 },
        { path: 'SAR/b.pdf', size: 20 },
        { path: 'SAP/a.json', size: 5 },
        { path: 'Scans/vulnerability/x.nessus', size: 100 },
        { path: 'README.txt', size: 1 },
        { path: 'SAR/c.csv', size: null },
      ]),
    ).toEqual([
      { folder: 'SAP', count: 2, size: 15 },
      { folder: 'SAR', count: 2, size: 20 },
      { folder: 'Scans', count: 1, size: 100 },
      { folder: '(top level)', count: 1, size: 1 },
    ]);
    expect(folderTotals([])).toEqual([]);
  });
});

function check(over: Partial<PackageCheck>): PackageCheck {
  return {
    path: '/tmp/p.zip',
    ok: true,
    file_count: 9,
    signer: { public_key_hex: 'ab'.repeat(32), fingerprint: 'aa:bb:cc' },
    signer_trusted: true,
    trusted_as: 'the key given',
    package_name: 'N_C_Assessment-Package_v1.0_01152026',
    created_at: '2026-01-15T12:00:00Z',
    problems: [],
    files: [],
    ...over,
  };
}

describe('problemLines', () => {
  it('names the file of each problem, the longest name first', () => {
    const lines = problemLines(
      check({
        ok: false,
        problems: [
          'SAR/a.pdf: contents changed (sha256 11, manifest says 22)',
          'SAR/a.pdf.bak: in the archive but not listed in the manifest',
          'manifest.sig: the signature does not match manifest.json',
          '"../evil": unsafe entry, not read: leaves the folder',
          'the archive lists the same file name more than once',
        ],
        files: ['SAR/a.pdf', 'SAR/a.pdf.bak', 'manifest.sig', '../evil'],
      }),
    );
    expect(lines).toEqual([
      { file: 'SAR/a.pdf', text: 'contents changed (sha256 11, manifest says 22)' },
      { file: 'SAR/a.pdf.bak', text: 'in the archive but not listed in the manifest' },
      { file: 'manifest.sig', text: 'the signature does not match manifest.json' },
      { file: '../evil', text: 'unsafe entry, not read: leaves the folder' },
      { file: null, text: 'the archive lists the same file name more than once' },
    ]);
  });
});

describe('checkSummary', () => {
  it('says an intact package is intact, with the signer', () => {
    const s = checkSummary(check({}));
    expect(s.ok).toBe(true);
    expect(s.headline).toContain('9 files match the signed manifest');
    expect(s.headline).toContain('aa:bb:cc');
  });
  it('counts the problems and the files they name', () => {
    const s = checkSummary(
      check({
        ok: false,
        problems: ['SAR/a.pdf: contents changed', 'SAR/a.pdf: size changed', 'the archive lists the same file name more than once'],
        files: ['SAR/a.pdf', 'SAR/a.pdf'],
      }),
    );
    expect(s.ok).toBe(false);
    expect(s.headline).toBe('The package does not verify: 3 problems concerning 1 file. Do not rely on its contents.');
  });
  it('does not claim files when no problem names one', () => {
    const s = checkSummary(check({ ok: false, problems: ['the archive lists the same file name more than once'], files: [] }));
    expect(s.headline).toBe('The package does not verify: 1 problem. Do not rely on its contents.');
  });
});

describe('sameKey', () => {
  it('ignores case, spaces and colons but not content', () => {
    expect(sameKey('AB:cd ef', 'abcdef')).toBe(true);
    expect(sameKey('abcdef', 'abcde0')).toBe(false);
    expect(sameKey('', '')).toBe(false);
  });
});
