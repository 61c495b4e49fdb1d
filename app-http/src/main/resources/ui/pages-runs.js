// Runs, one run (stages, executions, gates, approvals), one execution, one stage's gate.

import { all, getJson } from './api.js';
import {
  badge, bytes, duration, empty, h, hash, href, link, section, table, timeEl,
} from './dom.js';

export const PAGE = 25;

export function crumbs(...items) {
  return h('nav', { class: 'crumbs', 'aria-label': 'Breadcrumb' },
    h('ol', {}, items.map((item, i) => h('li', {},
      Array.isArray(item) && i < items.length - 1 ? link(item[0], item[1], item[2]) : (Array.isArray(item) ? item[0] : item)))));
}

export function runCrumbs(runId, ...rest) {
  return crumbs(['Runs', ['runs']], [runId, ['runs', runId]], ...rest);
}

export async function runsPage(params, query) {
  const cursor = query.get('cursor');
  const page = await getJson('/api/runs', { limit: PAGE, cursor });
  const rows = page.items.map((run) => h('tr', {},
    h('td', {}, link(run.runId, ['runs', run.runId])),
    h('td', {}, badge(run.status)),
    h('td', {}, run.createdBy),
    h('td', {}, timeEl(run.createdAt)),
    h('td', { class: 'num' }, String(run.coreFiles.length))));
  return h('div', {},
    crumbs(['Runs']),
    h('h1', {}, 'Runs'),
    page.items.length === 0 && !cursor
      ? empty('No runs yet. Start the server with --demo to seed an example run.')
      : table(['Run', 'Status', 'Created by', 'Created', 'Core files'], rows, { id: 'runs' }),
    h('nav', { class: 'pager', 'aria-label': 'Pages' },
      cursor ? link('First page', ['runs']) : null,
      page.nextCursor ? link('Next page', ['runs'], { cursor: page.nextCursor }, { rel: 'next', id: 'next-page' }) : null));
}

/** The stages a run has: those of its artifacts, and final. */
async function stagesOf(runId) {
  const artifacts = await all(`/api/runs/${encodeURIComponent(runId)}/artifacts`, {});
  const stages = new Set(artifacts.map((a) => a.stage));
  stages.add('final');
  return [...stages].sort((a, b) => order(a) - order(b));
}

function order(stage) {
  return stage === 'final' ? Number.MAX_SAFE_INTEGER : Number(stage.replace('phase', ''));
}

export function executionRows(runId, executions) {
  return executions.map((e) => h('tr', {},
    h('td', {}, link(`${e.stage}@${e.attempt}`, ['runs', runId, 'stages', e.stage, 'executions', e.attempt])),
    h('td', {}, badge(e.status)),
    h('td', {}, e.executor),
    h('td', {}, timeEl(e.startedAt)),
    h('td', {}, timeEl(e.finishedAt)),
    h('td', { class: 'num' }, duration(e.startedAt, e.finishedAt)),
    h('td', {}, e.error || '')));
}

const EXECUTION_HEADERS = ['Execution', 'Status', 'Executor', 'Started', 'Finished', 'Duration', 'Error'];

export async function runPage([runId]) {
  const base = `/api/runs/${encodeURIComponent(runId)}`;
  const [run, stages, approvals] = await Promise.all([
    getJson(base), stagesOf(runId), getJson(`${base}/approvals`, { limit: 100 })]);
  const perStage = await Promise.all(stages.map(async (stage) => {
    const [executions, gate] = await Promise.all([
      all(`${base}/stages/${stage}/executions`, {}),
      getJson(`${base}/stages/${stage}/gate`)]);
    return { stage, executions, gate };
  }));
  const stageCards = perStage.map(({ stage, executions, gate }) => h('section', { class: 'card stage', id: `stage-${stage}` },
    h('div', { class: 'card-head' },
      h('h2', {}, `Stage ${stage}`),
      gate.execution ? gateBadge(gate.passed) : badge('NOT RUN', 'none'),
      h('span', { class: 'spacer' }),
      link('Artifacts', ['runs', runId, 'artifacts'], { stage }),
      gate.execution ? link('Gate', ['runs', runId, 'stages', stage, 'gate']) : null),
    gate.reasons.length ? h('ul', { class: 'reasons' }, gate.reasons.map((r) => h('li', {}, r))) : null,
    executions.length
      ? table(EXECUTION_HEADERS, executionRows(runId, executions))
      : empty('No execution yet.')));
  const approvalRows = approvals.items.map((a) => h('tr', {},
    h('td', {}, a.stage), h('td', {}, badge(a.decision)), h('td', {}, a.actor),
    h('td', {}, timeEl(a.at)), h('td', {}, a.comment || ''), h('td', {}, hash(a.contentDigest))));
  const latestFinal = perStage.find((s) => s.stage === 'final');
  const finals = latestFinal ? latestFinal.executions : [];
  const lastFinal = finals.length ? finals[finals.length - 1].attempt : null;
  return h('div', {},
    runCrumbs(runId),
    h('div', { class: 'title-row' }, h('h1', {}, run.runId), badge(run.status)),
    h('dl', { class: 'facts' },
      h('dt', {}, 'Created by'), h('dd', {}, run.createdBy),
      h('dt', {}, 'Created'), h('dd', {}, timeEl(run.createdAt)),
      h('dt', {}, 'Core files'), h('dd', {}, run.coreFiles.join(', ')),
      h('dt', {}, 'Bundle README'), h('dd', {}, run.bundleReadme ? 'yes' : 'no')),
    h('nav', { class: 'actions', 'aria-label': 'Run pages' },
      link('Issues', ['runs', runId, 'issues'], lastFinal ? { stage: 'final', attempt: lastFinal } : {}, { class: 'button' }),
      link('Artifacts', ['runs', runId, 'artifacts'], {}, { class: 'button' }),
      link('Diff', ['runs', runId, 'diff'], lastFinal > 1 ? { from: `final@${lastFinal - 1}`, to: `final@${lastFinal}` } : {}, { class: 'button' }),
      link('Bundle', ['runs', runId, 'bundle'], {}, { class: 'button' })),
    ...stageCards,
    section('Approvals', approvals.items.length
      ? table(['Stage', 'Decision', 'Actor', 'At', 'Comment', 'Approved set'], approvalRows)
      : empty('No approval recorded.')));
}

export function gateBadge(passed) {
  return passed ? badge('GATE PASSED', 'passed') : badge('GATE FAILED', 'failed');
}

export function severityBadge(severity) {
  return badge(severity, severity);
}

/** The in-view deep link of an issue: its file at the generation it saw, at its lines. */
export function issueHref(issue) {
  const loc = issue.location || {};
  const lines = loc.line ? `${loc.line}-${loc.endLine && loc.endLine >= loc.line ? loc.endLine : loc.line}` : null;
  return href(['artifact', issue.file], { generation: issue.generation, lines });
}

export function whereText(issue) {
  const loc = issue.location || {};
  if (!loc.line) return 'whole file';
  return loc.endLine && loc.endLine !== loc.line ? `lines ${loc.line}–${loc.endLine}` : `line ${loc.line}`;
}

/** Which execution produced each artifact version, from the executions of the files' stages. */
async function producers(runId, issues) {
  const stages = new Set(issues.map((i) => i.file.split('/')[1]));
  const map = new Map();
  await Promise.all([...stages].map(async (stage) => {
    const executions = await all(`/api/runs/${encodeURIComponent(runId)}/stages/${stage}/executions`, {});
    for (const e of executions) {
      for (const a of e.artifacts) map.set(`${a.path}@${a.generation}`, { stage: e.stage, attempt: e.attempt });
    }
  }));
  return map;
}

function producerLink(runId, producer) {
  return producer
    ? link(`${producer.stage}@${producer.attempt}`, ['runs', runId, 'stages', producer.stage, 'executions', producer.attempt])
    : '—';
}

export function issueRow(runId, issue, producer, extra) {
  return h('tr', { class: `sev-${issue.severity.toLowerCase()}`, dataset: { fingerprint: issue.fingerprint } },
    extra || null,
    h('td', {}, severityBadge(issue.severity)),
    h('td', {}, h('code', {}, issue.rule)),
    h('td', { class: 'msg' }, issue.message),
    h('td', {}, h('a', { href: issueHref(issue), class: 'deep-link' },
      h('span', { class: 'file' }, issue.file.split('/').slice(1).join('/')),
      h('span', { class: 'muted' }, ` @${issue.generation} · ${whereText(issue)}`))),
    producer === undefined ? null : h('td', {}, producerLink(runId, producer)),
    h('td', {}, `${issue.stage}@${issue.attempt}`));
}

export async function executionPage([runId, stage, attempt]) {
  const base = `/api/runs/${encodeURIComponent(runId)}`;
  const e = await getJson(`${base}/stages/${encodeURIComponent(stage)}/executions/${attempt}`);
  const made = await producers(runId, e.issues.items);
  const gate = e.gate;
  const failingKeys = new Set(gate.failing.map((f) => `${f.rule} ${f.file}`));
  const failingIssues = e.issues.items.filter((i) => i.severity === 'ERROR' && failingKeys.has(`${i.rule} ${i.file}`));
  const artifactRows = e.artifacts.map((a) => h('tr', {},
    h('td', {}, link(a.name, ['artifact', a.path], { generation: a.generation })),
    h('td', {}, a.type), h('td', { class: 'num' }, bytes(a.size)), h('td', { class: 'num' }, String(a.generation)),
    h('td', {}, hash(a.hash))));
  const issueHeaders = ['Severity', 'Rule', 'Message', 'File @generation · where', 'Produced by', 'Found in'];
  return h('div', {},
    runCrumbs(runId, [`${stage}@${attempt}`]),
    h('div', { class: 'title-row' }, h('h1', {}, `${stage}@${attempt}`), badge(e.status), gateBadge(gate.passed)),
    h('dl', { class: 'facts' },
      h('dt', {}, 'Executor'), h('dd', {}, e.executor),
      h('dt', {}, 'Started'), h('dd', {}, timeEl(e.startedAt)),
      h('dt', {}, 'Finished'), h('dd', {}, timeEl(e.finishedAt)),
      h('dt', {}, 'Duration'), h('dd', {}, duration(e.startedAt, e.finishedAt)),
      e.error ? [h('dt', {}, 'Error'), h('dd', {}, e.error)] : null,
      h('dt', {}, 'Issues'), h('dd', {}, Object.entries(e.issueCounts).map(([s, n]) => h('span', { class: 'count' }, severityBadge(s), ` ${n}`)))),
    h('section', { class: `card gate ${gate.passed ? 'gate-passed' : 'gate-failed'}`, id: 'gate' },
      h('div', { class: 'card-head' }, h('h2', {}, 'Gate outcome'), gateBadge(gate.passed)),
      gate.passed ? h('p', {}, 'This attempt passes its gate.') : h('ul', { class: 'reasons' }, gate.reasons.map((r) => h('li', {}, r))),
      failingIssues.length
        ? [h('h3', {}, `Failing issues (${gate.failingTotal})`),
          table(issueHeaders, failingIssues.map((i) => issueRow(runId, i, made.get(`${i.file}@${i.generation}`) || null)), { id: 'failing-issues' })]
        : null),
    section('Artifacts this execution produced', e.artifacts.length
      ? table(['Name', 'Type', 'Size', 'Generation', 'Hash'], artifactRows)
      : empty('None.')),
    section(`Issues (${e.issues.items.length}${e.issues.nextCursor ? '+' : ''})`,
      e.issues.items.length
        ? table(issueHeaders, e.issues.items.map((i) => issueRow(runId, i, made.get(`${i.file}@${i.generation}`) || null)))
        : empty('No issue recorded against this attempt.'),
      h('p', {}, link('Filter these issues', ['runs', runId, 'issues'], { stage, attempt }))));
}

export async function gatePage([runId, stage]) {
  const base = `/api/runs/${encodeURIComponent(runId)}`;
  const g = await getJson(`${base}/stages/${encodeURIComponent(stage)}/gate`);
  const rows = g.evidence.map((ev) => h('tr', {},
    h('td', {}, severityBadge(ev.issue.severity)),
    h('td', {}, h('code', {}, ev.issue.rule)),
    h('td', { class: 'msg' }, ev.issue.message),
    h('td', {}, h('a', { href: issueHref(ev.issue), class: 'deep-link' }, ev.issue.file.split('/').slice(1).join('/'), h('span', { class: 'muted' }, ` · ${whereText(ev.issue)}`))),
    h('td', {}, ev.artifact ? [h('span', {}, `generation ${ev.artifact.generation} `), hash(ev.artifact.hash)] : 'no longer indexed'),
    h('td', {}, ev.producedBy ? link(ev.producedBy, ['runs', runId, 'stages', ...ev.producedBy.split('@').flatMap((p, i) => (i === 0 ? [p, 'executions'] : [p]))]) : '—')));
  return h('div', {},
    runCrumbs(runId, [`${stage} gate`]),
    h('div', { class: 'title-row' }, h('h1', {}, `Gate of ${stage}`), gateBadge(g.passed)),
    g.execution
      ? h('p', {}, 'Judged on the latest execution, ', link(`${g.execution.stage}@${g.execution.attempt}`, ['runs', runId, 'stages', stage, 'executions', g.execution.attempt]), ` (${g.execution.status}).`)
      : empty('No execution of this stage yet.'),
    g.reasons.length ? section('Why it fails', h('ul', { class: 'reasons' }, g.reasons.map((r) => h('li', {}, r)))) : null,
    section('Evidence: issues, the artifact versions they point at, the execution that made them',
      rows.length
        ? table(['Severity', 'Rule', 'Message', 'File · where', 'Artifact version', 'Produced by'], rows, { id: 'evidence' })
        : empty('No issue recorded against this attempt.')));
}
