// Pure helpers for the SAR and POA&M pages: Table 2-2's columns, the bar-chart geometry, the
// POA&M tabs and filter, and how risk items and checks read. Tested in sar.test.ts; the pages only
// wire them to the DOM. Nothing here computes a figure the core already computed.
import type {
  CheckSeverity,
  ConsistencyCheck,
  DeviationAnswer,
  PoamSettings,
  PoamTab,
  Recommendation,
  RiskItem,
  RiskLevel,
  SarSummary,
  Table22Counts,
} from './ipc/bindings';

/** Table 2-2's columns after "Category", in the SAR v5.0 template's order and wording. */
export const TABLE_22_COLUMNS: { key: keyof Table22Counts; label: string }[] = [
  { key: 'total', label: 'Total' },
  { key: 'operational_requirement', label: 'Operational Requirement (OR)' },
  { key: 'vendor_dependency', label: 'Vendor Dependency (VD)' },
  { key: 'srtm', label: 'SRTM Test Cases' },
  { key: 'os_scans', label: 'OS Scans' },
  { key: 'web_scans', label: 'Web Scans' },
  { key: 'db_scans', label: 'DB Scans' },
  { key: 'container_scans', label: 'Container Scans' },
  { key: 'pen_test', label: 'Pen Test' },
  { key: 'cm6', label: 'CM-6 Finds' },
];

/** The cells of one Table 2-2 row, in column order. */
export function table22Cells(counts: Table22Counts): number[] {
  return TABLE_22_COLUMNS.map((c) => counts[c.key]);
}

/** One bar of a chart. */
export interface Bar {
  label: string;
  value: number;
  /** A CSS class for the fill (e.g. `risk-high`). */
  tone: string;
}

/** The open risks by level, High first, for the level chart. */
export function levelBars(s: Pick<SarSummary, 'open_high' | 'open_moderate' | 'open_low'>): Bar[] {
  return [
    { label: 'High', value: s.open_high, tone: 'risk-high' },
    { label: 'Moderate', value: s.open_moderate, tone: 'risk-moderate' },
    { label: 'Low', value: s.open_low, tone: 'risk-low' },
  ];
}

/** The open risks by Table 2-2 category, as the core lists them, for the category chart. */
export function categoryBars(byCategory: [string, number][]): Bar[] {
  return byCategory.map(([label, value]) => ({ label, value, tone: 'category' }));
}

/**
 * The axis maximum for bars up to `max`: the next "nice" number (1, 2, 5 × 10ⁿ) at or above it, so
 * the gridlines fall on round values; at least 1 so an empty chart still draws an axis.
 */
export function niceMax(max: number): number {
  if (!(max > 0)) return 1;
  const pow = 10 ** Math.floor(Math.log10(max));
  for (const step of [1, 2, 5, 10]) if (step * pow >= max) return step * pow;
  return 10 * pow;
}

/** The gridline values from 0 to `top` (at most five intervals, integers only). */
export function ticks(top: number): number[] {
  const step = top <= 5 ? 1 : niceMax(top / 5);
  const out: number[] = [];
  for (let v = 0; v <= top + 1e-9; v += step) out.push(Math.round(v));
  return out;
}

/** A bar placed in a horizontal bar chart. */
export interface PlacedBar extends Bar {
  /** Top of the bar's row, in chart units. */
  y: number;
  /** Length of the bar, from the axis. */
  width: number;
}

/** The geometry of a horizontal bar chart of `bars` whose plotting area is `plotWidth` wide. */
export interface BarChart {
  bars: PlacedBar[];
  top: number;
  /** The x of each gridline, with its value. */
  grid: { x: number; value: number }[];
  height: number;
}

/**
 * Places `bars` one row of `rowHeight` each, scaled so the largest fits `plotWidth`. A value of 0
 * draws no bar (its label and 0 still show); a tiny non-zero value gets at least 2 units so it
 * remains visible.
 */
export function layoutBars(bars: Bar[], plotWidth: number, rowHeight: number): BarChart {
  const top = niceMax(Math.max(0, ...bars.map((b) => b.value)));
  const scale = plotWidth / top;
  return {
    top,
    bars: bars.map((b, i) => ({
      ...b,
      y: i * rowHeight,
      width: b.value > 0 ? Math.max(2, b.value * scale) : 0,
    })),
    grid: ticks(top).map((value) => ({ x: value * scale, value })),
    height: bars.length * rowHeight,
  };
}

/** `n of total (p%)`, or just `n` when the total is 0. */
export function ofTotal(n: number, total: number): string {
  if (!total) return String(n);
  return `${n} of ${total} (${Math.round((n / total) * 100)}%)`;
}

/** The recommendation statements as the select offers them: the SAR wording, with the subject. */
export function recommendationLabel(r: Recommendation): string {
  switch (r) {
    case 'recommend':
      return 'Recommend for authorization';
    case 'do-not-recommend':
      return 'Do not recommend for authorization';
    case 'recommend-continued':
      return 'Recommend for continued authorization';
    case 'do-not-recommend-continued':
      return 'Do not recommend for continued authorization';
  }
}

/** The POA&M workbook tabs, in template order. */
export const POAM_TABS: { id: PoamTab; label: string }[] = [
  { id: 'open', label: 'Open' },
  { id: 'closed', label: 'Closed' },
  { id: 'configuration', label: 'Configuration Findings' },
];

/** How many items each POA&M tab holds. */
export function tabCounts(items: Pick<RiskItem, 'poam_tab'>[]): Record<PoamTab, number> {
  const out: Record<PoamTab, number> = { open: 0, closed: 0, configuration: 0 };
  for (const i of items) out[i.poam_tab] += 1;
  return out;
}

/** What the POA&M filter matches: id, controls, name, detector, source id, every asset and CVE. */
export function poamSearchText(i: RiskItem): unknown[] {
  return [i.poam_id, i.controls, i.name, i.detector_source, i.source_identifier, i.assets, i.cves];
}

/** A level as the tables show it: `High`, `Moderate`, `Low`. */
export function levelText(l: RiskLevel | null | undefined): string {
  return l ? l.charAt(0).toUpperCase() + l.slice(1) : '';
}

/** The original rating and, when there is one, the adjusted rating: `High → Moderate`. */
export function riskText(i: Pick<RiskItem, 'original_risk' | 'adjusted_risk'>): string {
  const o = levelText(i.original_risk);
  return i.adjusted_risk && i.adjusted_risk !== i.original_risk ? `${o} → ${levelText(i.adjusted_risk)}` : o;
}

/** A deviation answer as the POA&M writes it (Yes / Pending / No). */
export function answerText(a: DeviationAnswer): string {
  return a === 'yes' ? 'Yes' : a === 'pending' ? 'Pending' : 'No';
}

/** The RA / FP / OR cell: `RA Yes · OR Pending`, or an empty string when all three are No. */
export function deviationsText(i: Pick<RiskItem, 'risk_adjustment' | 'false_positive' | 'operational_requirement'>): string {
  const parts: string[] = [];
  if (i.risk_adjustment !== 'no') parts.push(`RA ${answerText(i.risk_adjustment)}`);
  if (i.false_positive !== 'no') parts.push(`FP ${answerText(i.false_positive)}`);
  if (i.operational_requirement !== 'no') parts.push(`OR ${answerText(i.operational_requirement)}`);
  return parts.join(' · ');
}

/** Controls as the POA&M writes them: upper case, comma separated (`AC-2, IA-5(1)`). */
export function controlsText(controls: string[]): string {
  return controls.map((c) => c.toUpperCase()).join(', ');
}

/** At most `max` entries joined, then `+N`; the full list goes in the cell's title. */
export function shortList(values: string[], max = 2): string {
  if (values.length <= max) return values.join(', ');
  return `${values.slice(0, max).join(', ')} +${values.length - max}`;
}

/** Errors before warnings, then by code, so the blocking checks come first. */
export function sortChecks(checks: ConsistencyCheck[]): ConsistencyCheck[] {
  const rank = (s: CheckSeverity) => (s === 'error' ? 0 : 1);
  return [...checks].sort((a, b) => rank(a.severity) - rank(b.severity) || a.code.localeCompare(b.code));
}

/** The checks' counts by severity. */
export function checkCounts(checks: ConsistencyCheck[]): { errors: number; warnings: number } {
  const errors = checks.filter((c) => c.severity === 'error').length;
  return { errors, warnings: checks.length - errors };
}

/**
 * Where a check is fixed: its `page` if the registry has that page, with the check's subject as the
 * page's target (an objective, finding reference, inventory uuid); null when the page is unknown.
 */
export function checkTarget(c: Pick<ConsistencyCheck, 'page' | 'subject'>, pageIds: string[]): { page: string; target?: string } | null {
  if (!pageIds.includes(c.page)) return null;
  return c.subject ? { page: c.page, target: c.subject } : { page: c.page };
}

/** The POA&M ids the numbering settings give the first items, for the settings' preview. */
export function poamIdPreview(s: Pick<PoamSettings, 'id_prefix' | 'id_start' | 'id_digits'>, index: number): string {
  const n = String(s.id_start + index);
  return s.id_prefix + n.padStart(s.id_digits, '0');
}

/** A core `Validation` message without its leading `field: `, for showing next to that field. */
export function withoutField(message: string, field: string): string {
  const prefix = `${field}: `;
  if (!message.startsWith(prefix)) return message;
  const rest = message.slice(prefix.length);
  return rest.charAt(0).toUpperCase() + rest.slice(1);
}
