// Issues of a run, filtered by file, rule, severity, stage and attempt (the filter is the URL),
// counted per severity, and compared with the previous attempt (new / fixed / persisting).

import { ApiError, all, getJson } from './api.js';
import {
  badge, empty, h, href, link, section, table,
} from './dom.js';
import {
  PAGE, issueRow, runCrumbs, severityBadge,
} from './pages-runs.js';

const FILTERS = ['file', 'rule', 'severity', 'stage', 'attempt'];
const SEVERITIES = ['ERROR', 'WARNING', 'INFO'];

function filterOf(query) {
  const f = {};
  for (const k of FILTERS) f[k] = query.get(k) || '';
  return f;
}

export async function issuesPage([runId], query) {
  const base = `/api/runs/${encodeURIComponent(runId)}`;
  const f = filterOf(query);
  const cursor = query.get('cursor');
  const countFilter = { ...f, severity: '' };
  const [page, counts, every] = await Promise.all([
    getJson(`${base}/issues`, { ...f, limit: PAGE, cursor }),
    getJson(`${base}/issues`, { ...countFilter, groupBy: 'severity' }),
    all(`${base}/issues`, {}, 2000)]);
  const lineage = await lineageOf(base, f);
  const status = new Map();
  if (lineage) {
    for (const i of lineage.newIssues) status.set(i.fingerprint, 'new');
    for (const i of lineage.persistingIssues) status.set(i.fingerprint, 'persisting');
  }
  const headers = [lineage ? 'Lineage' : null, 'Severity', 'Rule', 'Message', 'File @generation · where', 'Found in'].filter(Boolean);
  const rows = page.items.map((i) => issueRow(runId, i, undefined,
    lineage ? h('td', {}, badge(status.get(i.fingerprint) || (lineage.first ? 'new' : '—'), status.get(i.fingerprint) || 'new')) : null));
  return h('div', {},
    runCrumbs(runId, ['Issues']),
    h('h1', {}, 'Issues'),
    filterForm(runId, f, every),
    h('section', { class: 'counts', 'aria-label': 'Counts by severity', id: 'counts' },
      SEVERITIES.map((s) => h('a', {
        class: `count-card sev-${s.toLowerCase()}${f.severity === s ? ' on' : ''}`,
        href: href(['runs', runId, 'issues'], { ...f, severity: f.severity === s ? '' : s }),
        'aria-current': f.severity === s ? 'true' : null,
        dataset: { severity: s },
      }, h('span', { class: 'count-n' }, String(counts.counts[s] || 0)), h('span', {}, s)))),
    page.items.length
      ? table(headers, rows, { id: 'issues' })
      : empty('No issue matches this filter.'),
    h('nav', { class: 'pager', 'aria-label': 'Pages' },
      cursor ? link('First page', ['runs', runId, 'issues'], f) : null,
      page.nextCursor ? link('Next page', ['runs', runId, 'issues'], { ...f, cursor: page.nextCursor }, { rel: 'next' }) : null),
    lineageSection(runId, f, lineage));
}

/** new / fixed / persisting against the previous attempt of the filtered stage, when one is chosen. */
async function lineageOf(base, f) {
  const attempt = Number(f.attempt);
  if (!f.stage || !(attempt >= 1)) return null;
  if (attempt === 1) return { first: true, newIssues: [], fixedIssues: [], persistingIssues: [] };
  try {
    const d = await getJson(`${base}/diff`, { from: `${f.stage}@${attempt - 1}`, to: `${f.stage}@${attempt}` });
    return { first: false, from: d.from, to: d.to, newIssues: d.newIssues, fixedIssues: d.fixedIssues, persistingIssues: d.persistingIssues };
  } catch (error) {
    if (error instanceof ApiError && (error.status === 404 || error.status === 400)) return null;
    throw error;
  }
}

function lineageSection(runId, f, lineage) {
  if (!lineage) {
    return section('Lineage', empty('Choose a stage and an attempt to compare its issues with the previous attempt (new, fixed, persisting).'));
  }
  if (lineage.first) {
    return section('Lineage', empty(`${f.stage}@1 is the first attempt: every issue is new.`));
  }
  const list = (items) => items.map((i) => issueRow(runId, i, undefined));
  const headers = ['Severity', 'Rule', 'Message', 'File @generation · where', 'Found in'];
  return h('section', { class: 'card', id: 'lineage' },
    h('h2', {}, `Lineage: ${lineage.from} → ${lineage.to}`),
    h('p', {}, badge(`${lineage.newIssues.length} new`, 'new'), ' ', badge(`${lineage.fixedIssues.length} fixed`, 'fixed'), ' ',
      badge(`${lineage.persistingIssues.length} persisting`, 'persisting'), h('span', { class: 'muted' }, ' (matched by fingerprint: rule + file + normalised message)')),
    h('h3', {}, 'Fixed since the previous attempt'),
    lineage.fixedIssues.length ? table(headers, list(lineage.fixedIssues), { id: 'fixed-issues' }) : empty('None.'));
}

function filterForm(runId, f, every) {
  const distinct = (key) => [...new Set(every.map((i) => i[key]))].sort();
  const select = (name, label, options, value) => h('div', { class: 'field' },
    h('label', { for: `f-${name}` }, label),
    h('select', { id: `f-${name}`, name },
      h('option', { value: '' }, 'any'),
      options.map((o) => h('option', { value: o, selected: o === value }, o))));
  const stages = distinct('stage');
  const attempts = [...new Set(every.filter((i) => !f.stage || i.stage === f.stage).map((i) => String(i.attempt)))].sort();
  const form = h('form', { class: 'filters card', id: 'filters', role: 'search' },
    select('file', 'File', distinct('file'), f.file),
    select('rule', 'Rule', distinct('rule'), f.rule),
    select('severity', 'Severity', SEVERITIES, f.severity),
    select('stage', 'Stage', stages, f.stage),
    select('attempt', 'Attempt', attempts, f.attempt),
    h('div', { class: 'field buttons' },
      h('button', { type: 'submit', class: 'primary' }, 'Apply'),
      link('Clear', ['runs', runId, 'issues'], {}, { class: 'button secondary' })));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const q = {};
    for (const k of FILTERS) q[k] = form.elements[k].value;
    location.hash = href(['runs', runId, 'issues'], q);
  });
  // a changed select applies at once (keyboard users still have Apply)
  form.addEventListener('change', () => form.requestSubmit());
  return form;
}

export { severityBadge };
