// The navigation registry: every page of the engagement workspace, grouped as the assessment runs.
// A later capability plugs in by adding one entry here; the sidebar and router read only this list.
import type { Component } from 'svelte';
import Overview from '../pages/Overview.svelte';
import Activity from '../pages/Activity.svelte';

export interface PageProps {
  overview: import('./ipc/bindings').Overview;
  vocabularies: import('./ipc/bindings').Vocabularies;
  onOverview: (o: import('./ipc/bindings').Overview) => void;
  onError: (message: string) => void;
}

export interface PageEntry {
  id: string;
  label: string;
  group: 'Engagement' | 'Plan' | 'Test' | 'Report' | 'Records';
  component: Component<PageProps>;
}

export const pages: PageEntry[] = [
  { id: 'overview', label: 'Overview', group: 'Engagement', component: Overview },
  { id: 'activity', label: 'Activity', group: 'Records', component: Activity },
];

export const groups: PageEntry['group'][] = ['Engagement', 'Plan', 'Test', 'Report', 'Records'];
