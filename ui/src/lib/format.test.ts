import { describe, expect, it, vi } from 'vitest';
import { debounced, formatTimestamp, joinPath, suggestedFileName } from './format';

describe('formatTimestamp', () => {
  it('shows ISO UTC timestamps as date, time and zone', () => {
    expect(formatTimestamp('2026-02-02T10:00:05Z')).toBe('2026-02-02 10:00:05 UTC');
  });
  it('leaves anything else as it is', () => {
    expect(formatTimestamp('yesterday')).toBe('yesterday');
  });
});

describe('suggestedFileName', () => {
  it('keeps letters, digits and dashes', () => {
    expect(suggestedFileName('  Example Cloud: GovCloud/2 ')).toBe('Example-Cloud-GovCloud2.assay');
  });
  it('never suggests a hidden or empty name', () => {
    expect(suggestedFileName('...')).toBe('engagement.assay');
    expect(suggestedFileName('')).toBe('engagement.assay');
  });
});

describe('joinPath', () => {
  it('adds exactly one separator', () => {
    expect(joinPath('/home/a', 'x.assay')).toBe('/home/a/x.assay');
    expect(joinPath('/home/a/', 'x.assay')).toBe('/home/a/x.assay');
    expect(joinPath('C:\\Users\\a', 'x.assay')).toBe('C:\\Users\\a\\x.assay');
  });
});

describe('debounced', () => {
  it('saves only the last value after the pause, and flush saves at once', () => {
    vi.useFakeTimers();
    const saved: string[] = [];
    const d = debounced((v: string) => saved.push(v), 500);
    d.push('a');
    d.push('ab');
    vi.advanceTimersByTime(499);
    expect(saved).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(saved).toEqual(['ab']);
    d.push('abc');
    d.flush();
    expect(saved).toEqual(['ab', 'abc']);
    d.flush();
    expect(saved).toEqual(['ab', 'abc']);
    vi.useRealTimers();
  });
});
