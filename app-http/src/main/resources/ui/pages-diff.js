// What changed between two executions (stage@attempt) or two runs: changed files with their
// unified diff (or why it is omitted) and the issue lineage.

import { all, getJson } from './api.js';
import {
  badge, bytes, empty, h, hash, href, link, section, table,
} from './dom.js';
import { issueRow, runCrumbs } from './pages-runs.js';

async function choices(runId) {
  const base = `/api/runs/${encodeURIComponent(runId)}`;
  const artifacts = await all(`${base}/artifacts`, {});
  const stages = new Set(artifacts.map((a) => a.stage));
  stages.add('final');
  const executions = (await Promise.all([...stages].map((s) => all(`${base}/stages/${s}/executions`, {})))).flat();
  const runs = (await getJson('/api/runs', { limit: 100 })).items.map((r) => r.runId);
  return { executions: executions.map((e) => `${e.stage}@${e.attempt}`), runs };
}

export async function diffPage([runId], query) {
  const from = query.get('from') || '';
  const to = query.get('to') || '';
  const options = await choices(runId);
  const form = pickForm(runId, options, from, to);
  if (!from || !to) {
    return h('div', {}, runCrumbs(runId, ['Diff']), h('h1', {}, 'Diff'), form,
      empty('Pick two executions of this run, or two runs.'));
  }
  const d = await getJson(`/api/runs/${encodeURIComponent(runId)}/diff`, { from, to });
  const headers = ['Severity', 'Rule', 'Message', 'File @generation · where', 'Found in'];
  const lineageTable = (items, id) => (items.length ? table(headers, items.map((i) => issueRow(runId, i, undefined)), { id }) : empty('None.'));
  return h('div', {},
    runCrumbs(runId, ['Diff']),
    h('h1', {}, `Diff ${d.from} → ${d.to}`),
    form,
    section(`Changed files (${d.changes.length})`,
      d.changes.length ? h('div', { id: 'changes' }, d.changes.map(change)) : empty('Nothing changed.')),
    section('Issues',
      h('p', {}, badge(`${d.newIssues.length} new`, 'new'), ' ', badge(`${d.fixedIssues.length} fixed`, 'fixed'), ' ', badge(`${d.persistingIssues.length} persisting`, 'persisting')),
      h('h3', {}, 'New'), lineageTable(d.newIssues, 'new-issues'),
      h('h3', {}, 'Fixed'), lineageTable(d.fixedIssues, 'fixed-issues'),
      h('h3', {}, 'Persisting'), lineageTable(d.persistingIssues, 'persisting-issues')));
}

function versionCell(v) {
  if (!v) return '—';
  return h('span', {}, link(`@${v.generation}`, ['artifact', v.path], { generation: v.generation }), ' ', bytes(v.size), ' ', hash(v.hash));
}

function change(c) {
  const body = [];
  if (c.unifiedDiff) {
    body.push(h('pre', { class: 'diff', tabindex: '0', 'aria-label': `Unified diff of ${c.key}` },
      c.unifiedDiff.replace(/\n$/, '').split('\n').map((line) => h('span', {
        class: line.startsWith('+++') || line.startsWith('---') ? 'dl dl-file'
          : line.startsWith('@@') ? 'dl dl-hunk'
            : line.startsWith('+') ? 'dl dl-add'
              : line.startsWith('-') ? 'dl dl-del' : 'dl',
      }, line, '\n'))));
  } else if (c.diffOmitted) {
    body.push(h('p', { class: 'omitted' }, badge(`diff omitted: ${c.diffOmitted}`, 'omitted'),
      ' The texts are larger than diff.maxTextBytes or past the edit budget; compare the versions by their hashes or download them.'));
  } else if (c.kind === 'MODIFIED') {
    body.push(h('p', { class: 'muted' }, 'Not text: no line diff; the hashes differ.'));
  }
  return h('article', { class: 'change', dataset: { key: c.key, kind: c.kind } },
    h('div', { class: 'change-head' }, badge(c.kind), h('code', { class: 'file' }, c.key)),
    h('div', { class: 'change-versions' },
      h('span', {}, 'from ', versionCell(c.from)), h('span', {}, 'to ', versionCell(c.to))),
    ...body);
}

function pickForm(runId, options, from, to) {
  const select = (name, label, value) => h('div', { class: 'field' },
    h('label', { for: `d-${name}` }, label),
    h('select', { id: `d-${name}`, name },
      h('option', { value: '' }, 'choose…'),
      h('optgroup', { label: 'Executions of this run' }, options.executions.map((o) => h('option', { value: o, selected: o === value }, o))),
      h('optgroup', { label: 'Runs (latest generation of every path)' }, options.runs.map((o) => h('option', { value: o, selected: o === value }, o)))));
  const form = h('form', { class: 'filters card', id: 'diff-form' },
    select('from', 'From', from), select('to', 'To', to),
    h('div', { class: 'field buttons' }, h('button', { type: 'submit', class: 'primary' }, 'Compare')));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    location.hash = href(['runs', runId, 'diff'], { from: form.elements.from.value, to: form.elements.to.value });
  });
  return form;
}
