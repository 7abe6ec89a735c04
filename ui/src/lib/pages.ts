// The navigation registry: every page of the engagement workspace, grouped as the assessment runs.
// A later capability plugs in by adding one entry here; the sidebar and router read only this list.
import type { Component } from 'svelte';
import Overview from '../pages/Overview.svelte';
import Activity from '../pages/Activity.svelte';
import System from '../pages/System.svelte';
import Controls from '../pages/Controls.svelte';
import Inventory from '../pages/Inventory.svelte';
import Components from '../pages/Components.svelte';
import IntakeChecks from '../pages/IntakeChecks.svelte';
import Sap from '../pages/Sap.svelte';
import Testing from '../pages/Testing.svelte';
import Findings from '../pages/Findings.svelte';
import Evidence from '../pages/Evidence.svelte';
import Scans from '../pages/Scans.svelte';
import Weaknesses from '../pages/Weaknesses.svelte';
import Coverage from '../pages/Coverage.svelte';
import Sar from '../pages/Sar.svelte';
import Poam from '../pages/Poam.svelte';
import Package from '../pages/Package.svelte';

export interface PageProps {
  overview: import('./ipc/bindings').Overview;
  vocabularies: import('./ipc/bindings').Vocabularies;
  onOverview: (o: import('./ipc/bindings').Overview) => void;
  onError: (message: string) => void;
  /** What another page asked this one to show (a control id, an inventory item uuid…), if anything. */
  target: string | null;
  /** Opens page `id`, optionally on `target`. */
  onNavigate: (id: string, target?: string) => void;
}

export interface PageEntry {
  id: string;
  label: string;
  group: 'Engagement' | 'Plan' | 'Test' | 'Report' | 'Records';
  component: Component<PageProps>;
}

export const pages: PageEntry[] = [
  { id: 'overview', label: 'Overview', group: 'Engagement', component: Overview },
  { id: 'system', label: 'System', group: 'Plan', component: System },
  { id: 'controls', label: 'Controls', group: 'Plan', component: Controls },
  { id: 'inventory', label: 'Inventory', group: 'Plan', component: Inventory },
  { id: 'components', label: 'Components', group: 'Plan', component: Components },
  { id: 'intake', label: 'Intake checks', group: 'Plan', component: IntakeChecks },
  { id: 'sap', label: 'SAP', group: 'Plan', component: Sap },
  { id: 'testing', label: 'Testing', group: 'Test', component: Testing },
  { id: 'findings', label: 'Findings', group: 'Test', component: Findings },
  { id: 'evidence', label: 'Evidence', group: 'Test', component: Evidence },
  { id: 'scans', label: 'Scans', group: 'Test', component: Scans },
  { id: 'weaknesses', label: 'Weaknesses', group: 'Test', component: Weaknesses },
  { id: 'coverage', label: 'Coverage', group: 'Test', component: Coverage },
  { id: 'sar', label: 'SAR', group: 'Report', component: Sar },
  { id: 'poam', label: 'POA&M', group: 'Report', component: Poam },
  { id: 'package', label: 'Package', group: 'Report', component: Package },
  { id: 'activity', label: 'Activity', group: 'Records', component: Activity },
];

export const groups: PageEntry['group'][] = ['Engagement', 'Plan', 'Test', 'Report', 'Records'];
