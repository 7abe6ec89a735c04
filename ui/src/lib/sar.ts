// Pure helpers for the SAR and POA&M pages: Table 2-2's columns, the bar-chart geometry, the
// POA&M filter, and how risk items and checks read. Tested in sar.test.ts; the pages only wire
// them to the DOM. Nothing here computes a figure the core already computed, and no label of a
// closed value set is typed here: the helpers take the core's vocabulary lookups (lib/vocab.ts).
import type {
  CheckSeverity,
  ConsistencyCheck,
  DeviationAnswer,
  FindingCategory,
  PoamSettings,
  PoamTab,
  Recommendation,
  RiskItem,
  RiskLevel,
  SarSummary,
  Table22Counts,
} from './ipc/bindings';
import type { LabelOf } from './vocab';

/** One column of Table 2-2 after "Category". */
export interface Table22Column {
  key: keyof Table22Counts;
  label: string;
}

// The columns in the SAR v5.0 template's order: its own wording for the totals and deviations, the
// finding categories (titled with the core's category labels) for the rest.
const TABLE_22: ({ key: keyof Table22Counts; label: string } | { key: keyof Table22Counts; category: FindingCategory })[] = [
  { key: 'total', label: 'Total' },
  { key: 'operational_requirement', label: 'Operational Requirement (OR)' },
  { key: 'vendor_dependency', label: 'Vendor Dependency (VD)' },
  { key: 'srtm', category: 'srtm' },
  { key: 'os_scans', category: 'os-scan' },
  { key: 'web_scans', category: 'web-scan' },
  { key: 'db_scans', category: 'db-scan' },
  { key: 'container_scans', category: 'container-scan' },
  { key: 'pen_test', category: 'pen-test' },
  { key: 'cm6', category: 'cm-6' },
];

/** Table 2-2's columns after "Category"; `category` labels the finding-category columns. */
export function table22Columns(category: LabelOf<FindingCategory>): Table22Column[] {
  return TABLE_22.map((c) => ({ key: c.key, label: 'category' in c ? category(c.category) : c.label }));
}

/** The cells of one Table 2-2 row, in column order. */
export function table22Cells(counts: Table22Counts): number[] {
  return TABLE_22.map((c) => counts[c.key]);
}

/** One bar of a chart. */
export interface Bar {
  label: string;
  value: number;
  /** A CSS class for the fill (e.g. `risk-high`). */
  tone: string;
}

/** The open risks by level, High first, for the level chart; `level` labels the levels. */
export function levelBars(s: Pick<SarSummary, 'open_high' | 'open_moderate' | 'open_low'>, level: LabelOf<RiskLevel>): Bar[] {
  return [
    { label: level('high'), value: s.open_high, tone: 'risk-high' },
    { label: level('moderate'), value: s.open_moderate, tone: 'risk-moderate' },
    { label: level('low'), value: s.open_low, tone: 'risk-low' },
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

/**
 * A recommendation as the select and the recorded line show it: the statement as the SAR prints
 * it after the assessor's name (`statement` looks it up), starting with a capital on its own.
 */
export function recommendationText(statement: LabelOf<Recommendation>, r: Recommendation): string {
  const s = statement(r);
  return s.charAt(0).toUpperCase() + s.slice(1);
}

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

/** The original rating and, when there is one, the adjusted rating: `High → Moderate`. */
export function riskText(i: Pick<RiskItem, 'original_risk' | 'adjusted_risk'>, level: LabelOf<RiskLevel>): string {
  const o = level(i.original_risk);
  return i.adjusted_risk && i.adjusted_risk !== i.original_risk ? `${o} → ${level(i.adjusted_risk)}` : o;
}

/** The RA / FP / OR cell: `RA Yes · OR Pending`, or an empty string when all three are No. */
export function deviationsText(
  i: Pick<RiskItem, 'risk_adjustment' | 'false_positive' | 'operational_requirement'>,
  answer: LabelOf<DeviationAnswer>,
): string {
  const parts: string[] = [];
  if (i.risk_adjustment !== 'no') parts.push(`RA ${answer(i.risk_adjustment)}`);
  if (i.false_positive !== 'no') parts.push(`FP ${answer(i.false_positive)}`);
  if (i.operational_requirement !== 'no') parts.push(`OR ${answer(i.operational_requirement)}`);
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
