// A run's artifacts, and one artifact: its generations and a preview of a generation. Text is
// loaded a slice of lines at a time (?lines=A-B, bounded by server.maxPreviewBytes); anything
// else is offered as a download and never rendered.

import { ApiError, all, artifactPath, getBlob, getText, head } from './api.js';
import {
  bytes, empty, h, hash, href, link, saveBlob, section, table, timeEl,
} from './dom.js';
import { runCrumbs } from './pages-runs.js';

const CHUNK = 200;
const CONTEXT = 40;
const MAX_GENERATIONS = 50;

export async function artifactsPage([runId], query) {
  const stage = query.get('stage') || '';
  const type = query.get('type') || '';
  const items = await all(`/api/runs/${encodeURIComponent(runId)}/artifacts`, { stage, type });
  const rows = items.map((a) => h('tr', {},
    h('td', {}, link(a.name, ['artifact', a.path])),
    h('td', {}, a.stage),
    h('td', {}, a.type),
    h('td', { class: 'num' }, bytes(a.size)),
    h('td', {}, hash(a.hash)),
    h('td', { class: 'num' }, String(a.generation)),
    h('td', {}, a.generation > 1
      ? h('span', { class: 'gens' }, Array.from({ length: a.generation - 1 }, (_, i) => link(`@${i + 1}`, ['artifact', a.path], { generation: i + 1 })))
      : '—'),
    h('td', {}, timeEl(a.createdAt))));
  const stageLinks = ['', 'phase0', 'phase1', 'phase2', 'final'];
  return h('div', {},
    runCrumbs(runId, [stage ? `Artifacts of ${stage}` : 'Artifacts']),
    h('h1', {}, stage ? `Artifacts of ${stage}` : 'Artifacts'),
    h('nav', { class: 'chips', 'aria-label': 'Stage' }, stageLinks.map((s) => link(s || 'all stages', ['runs', runId, 'artifacts'], s ? { stage: s } : {}, { class: s === stage ? 'chip chip-on' : 'chip', 'aria-current': s === stage ? 'page' : null }))),
    items.length
      ? table(['Name', 'Stage', 'Type', 'Size', 'Hash', 'Generation', 'Earlier generations', 'Written'], rows, { id: 'artifacts' })
      : empty('No artifact.'));
}

/** What HEAD says of one version. */
async function version(path, generation) {
  const headers = await head(artifactPath(path), generation ? { generation } : {});
  return {
    generation: Number(headers.get('X-Artifact-Generation')),
    hash: (headers.get('ETag') || '').replace(/"/g, ''),
    size: Number(headers.get('Content-Length')),
    type: headers.get('X-Artifact-Type'),
    mediaType: headers.get('Content-Type') || '',
    written: headers.get('Last-Modified'),
  };
}

function isText(mediaType) {
  const base = mediaType.toLowerCase().split(';')[0].trim();
  return base.startsWith('text/') || base === 'application/json' || base.endsWith('+json')
    || base === 'application/yaml' || base === 'application/x-yaml' || base === 'application/xml' || base.endsWith('+xml');
}

function parseLines(text) {
  const m = /^(\d+)-(\d+)$/.exec(text || '');
  if (!m) return null;
  const a = Number(m[1]);
  const b = Number(m[2]);
  return a >= 1 && b >= a ? { first: a, last: b } : null;
}

export async function artifactPage([path], query) {
  const runId = path.split('/')[0];
  const asked = query.get('generation') ? Number(query.get('generation')) : null;
  const latest = await version(path, null);
  const shown = asked && asked !== latest.generation ? await version(path, asked) : latest;
  // one HEAD per generation, the newest MAX_GENERATIONS only (older ones stay reachable by URL)
  const oldest = Math.max(1, latest.generation - MAX_GENERATIONS + 1);
  const earlier = await Promise.all(
    Array.from({ length: latest.generation - oldest + 1 }, (_, i) => oldest + i).map((g) => (g === latest.generation ? latest : version(path, g))));
  const lines = parseLines(query.get('lines'));
  const genRows = earlier.reverse().map((v) => h('tr', { class: v.generation === shown.generation ? 'current' : null },
    h('td', {}, v.generation === shown.generation
      ? h('strong', {}, `@${v.generation} (shown)`)
      : link(`@${v.generation}`, ['artifact', path], { generation: v.generation })),
    h('td', { class: 'num' }, bytes(v.size)), h('td', {}, hash(v.hash)), h('td', {}, v.written || '—')));
  const name = path.split('/').slice(2).join('/');
  return h('div', {},
    runCrumbs(runId, [path.split('/')[1], ['runs', runId, 'artifacts'], { stage: path.split('/')[1] }], [name]),
    h('div', { class: 'title-row' }, h('h1', {}, name), h('span', { class: 'muted' }, `generation ${shown.generation} of ${latest.generation}`)),
    h('dl', { class: 'facts' },
      h('dt', {}, 'Path'), h('dd', {}, h('code', {}, path)),
      h('dt', {}, 'Type'), h('dd', {}, shown.type || '—'),
      h('dt', {}, 'Media type'), h('dd', {}, shown.mediaType),
      h('dt', {}, 'Size'), h('dd', {}, `${bytes(shown.size)} (${shown.size} bytes)`),
      h('dt', {}, 'Hash'), h('dd', {}, h('code', { class: 'hash wrap' }, shown.hash))),
    isText(shown.mediaType) ? await textPreview(path, shown, lines) : binaryOffer(path, shown),
    section('Generations',
      oldest > 1 ? h('p', { class: 'muted' }, `The newest ${MAX_GENERATIONS} of ${latest.generation} generations.`) : null,
      table(['Generation', 'Size', 'Hash', 'Written'], genRows, { id: 'generations' })));
}

function downloadButton(path, v, label) {
  const name = path.split('/').pop();
  const status = h('span', { class: 'muted', role: 'status' });
  const button = h('button', {
    type: 'button', class: 'primary', id: 'download',
    onclick: async () => {
      status.textContent = 'Downloading…';
      try {
        saveBlob(await getBlob(artifactPath(path), { generation: v.generation }), name);
        status.textContent = '';
      } catch (error) {
        status.textContent = `Download refused: ${error.message}`;
      }
    },
  }, label || `Download ${name} @${v.generation}`);
  return h('span', { class: 'download' }, button, ' ', status);
}

function binaryOffer(path, v) {
  return section('Content',
    h('p', { id: 'binary-note' }, `This is ${v.mediaType || 'binary content'}, not text: it is not shown in the page. Download it to open it with a program of your choice.`),
    downloadButton(path, v));
}

/** The preview: numbered lines, loaded in slices; {@code lines} highlighted and scrolled to. */
async function textPreview(path, v, lines) {
  const code = h('div', { class: 'code', id: 'preview', role: 'region', 'aria-label': `Lines of ${path.split('/').pop()}`, tabindex: '0' });
  const note = h('p', { class: 'muted', role: 'status', id: 'preview-status' });
  const before = h('button', { type: 'button', class: 'secondary', id: 'load-earlier' }, 'Load earlier lines');
  const after = h('button', { type: 'button', class: 'secondary', id: 'load-more' }, 'Load more lines');
  const state = { first: 0, last: 0, end: false, chunk: CHUNK };

  function row(n, text) {
    const hl = lines && n >= lines.first && n <= lines.last;
    return h('div', {
      class: hl ? 'ln hl' : 'ln', id: `L${n}`, dataset: { line: n },
      'data-scroll-target': lines && n === lines.first ? '' : null,
    }, h('a', { class: 'num', href: href(['artifact', path], { generation: v.generation, lines: `${n}-${n}` }), 'aria-label': `line ${n}`, tabindex: '-1' }, String(n)),
    h('span', { class: 'txt' }, text === '' ? '\u200b' : text));
  }

  /** Fetches lines a..b, halving the slice on 413; answers {first, last, texts} or null past the end. */
  async function fetchSlice(a, b) {
    let last = b;
    for (;;) {
      try {
        const { text, headers } = await getText(artifactPath(path), { generation: v.generation, lines: `${a}-${last}` });
        const range = parseLines(headers.get('X-Line-Range')) || { first: a, last };
        const texts = text.split('\n');
        if (texts.length > range.last - range.first + 1) texts.length = range.last - range.first + 1;
        return { first: range.first, last: range.last, asked: last, texts: texts.map((t) => t.replace(/\r$/, '')) };
      } catch (error) {
        if (error instanceof ApiError && error.status === 416) return null;
        if (error instanceof ApiError && error.status === 413 && last > a) {
          last = a + Math.floor((last - a) / 2);
          state.chunk = Math.max(1, last - a + 1);
          continue;
        }
        throw error;
      }
    }
  }

  async function loadAfter() {
    after.disabled = true;
    try {
      const a = state.last + 1;
      const got = await fetchSlice(a, a + state.chunk - 1);
      if (!got) {
        state.end = true;
      } else {
        got.texts.forEach((t, i) => code.appendChild(row(got.first + i, t)));
        state.last = got.last;
        if (got.last < got.asked) state.end = true;
      }
    } catch (error) {
      note.textContent = error instanceof ApiError && error.status === 413
        ? `Line ${state.last + 1} alone is larger than the server's preview limit (server.maxPreviewBytes); download the file to read it.`
        : `Could not load lines: ${error.message}`;
      state.end = true;
    }
    after.hidden = state.end;
    after.disabled = false;
    updateNote();
  }

  async function loadBefore() {
    before.disabled = true;
    const b = state.first - 1;
    const a = Math.max(1, b - state.chunk + 1);
    try {
      const got = await fetchSlice(a, b);
      if (got) {
        const rows = got.texts.map((t, i) => row(got.first + i, t));
        code.prepend(...rows);
        state.first = got.first;
      }
    } catch (error) {
      note.textContent = `Could not load lines: ${error.message}`;
    }
    before.hidden = state.first <= 1;
    before.disabled = false;
    updateNote();
  }

  function updateNote() {
    if (note.textContent.startsWith('Could not') || note.textContent.startsWith('Line ')) return;
    if (tooLarge) return;
    note.textContent = state.last === 0
      ? 'The file is empty.'
      : `Showing lines ${state.first}–${state.last}${state.end ? ' (end of file)' : ''}.`;
  }

  // the first slice: around the asked lines, else from the top
  const start = lines ? Math.max(1, lines.first - CONTEXT) : 1;
  const stop = lines ? Math.max(lines.last + CONTEXT, start + CHUNK - 1) : CHUNK;
  let first = null;
  let pastEnd = false;
  let tooLarge = false;
  try {
    first = await fetchSlice(start, stop);
    if (!first && lines) {
      pastEnd = true;
      first = await fetchSlice(1, CHUNK);
    }
  } catch (error) {
    if (!(error instanceof ApiError && error.status === 413)) throw error;
    tooLarge = true;
    note.textContent = `Line ${start} alone is larger than the server's preview limit (server.maxPreviewBytes): download the file to read it.`;
    note.id = 'preview-too-large';
  }
  if (first) {
    first.texts.forEach((t, i) => code.appendChild(row(first.first + i, t)));
    state.first = first.first;
    state.last = first.last;
    state.end = first.last < first.asked;
  } else {
    state.end = true;
  }
  if (tooLarge) {
    state.first = start;
    state.last = start - 1;
  }
  before.hidden = state.first <= 1;
  after.hidden = state.end;
  before.addEventListener('click', loadBefore);
  after.addEventListener('click', loadAfter);
  updateNote();
  if ('IntersectionObserver' in window) {
    const observer = new IntersectionObserver((entries) => {
      if (entries.some((e) => e.isIntersecting) && !state.end && !after.disabled && code.isConnected) loadAfter();
    });
    observer.observe(after);
  }
  return section('Content',
    lines ? h('p', { class: pastEnd ? 'alert-inline' : 'highlight-note', id: 'highlight-note' },
      pastEnd ? `Lines ${lines.first}–${lines.last} are past the end of this generation.` : `Highlighted: lines ${lines.first}–${lines.last}.`) : null,
    h('p', { class: 'muted' }, 'Shown as plain text (stored content is never rendered as HTML here). ', downloadButton(path, v, 'Download')),
    before, code, after, note);
}
