// The browser view: a hash router over read-only pages. Every datum comes from the JSON API
// (api.js) and is put into the page as text (dom.js).

import { ApiError, clearToken, getJson, setToken, token } from './api.js';
import { h, href } from './dom.js';
import { executionPage, gatePage, runPage, runsPage } from './pages-runs.js';
import { artifactPage, artifactsPage } from './pages-artifacts.js';
import { issuesPage } from './pages-issues.js';
import { diffPage } from './pages-diff.js';
import { bundlePage } from './pages-bundle.js';

const main = document.getElementById('main');
const WRITE_WORDS = new Set(['approve', 'reject', 'revoke', 'create', 'new', 'delete', 'edit', 'finish',
  'start', 'upload', 'put', 'write', 'overwrite', 'record']);

// [pattern, page]; the captures are decoded path segments; the last route takes the rest
const ROUTES = [
  [/^\/?$/, () => runsPage],
  [/^\/runs$/, () => runsPage],
  [/^\/runs\/([^/]+)$/, () => runPage],
  [/^\/runs\/([^/]+)\/stages\/([^/]+)\/executions\/(\d+)$/, () => executionPage],
  [/^\/runs\/([^/]+)\/stages\/([^/]+)\/gate$/, () => gatePage],
  [/^\/runs\/([^/]+)\/artifacts$/, () => artifactsPage],
  [/^\/runs\/([^/]+)\/issues$/, () => issuesPage],
  [/^\/runs\/([^/]+)\/diff$/, () => diffPage],
  [/^\/runs\/([^/]+)\/bundle$/, () => bundlePage],
  [/^\/artifact\/(.+)$/, () => artifactPage],
];

let renderSeq = 0;

function parseHash() {
  const raw = location.hash.replace(/^#/, '') || '/';
  const q = raw.indexOf('?');
  const path = q < 0 ? raw : raw.slice(0, q);
  const query = new URLSearchParams(q < 0 ? '' : raw.slice(q + 1));
  return { path, query };
}

function decodeAll(match) {
  return match.slice(1).map((s) => decodeURIComponent(s));
}

async function render() {
  const seq = ++renderSeq;
  renderSession();
  if (!token()) {
    show(loginForm());
    return;
  }
  const { path, query } = parseHash();
  for (const [pattern, page] of ROUTES) {
    const match = path.match(pattern);
    if (!match) continue;
    show(h('p', { class: 'loading', role: 'status' }, 'Loading…'));
    try {
      const node = await page()(decodeAll(match), query, { stale: () => seq !== renderSeq });
      if (seq === renderSeq) show(node);
    } catch (error) {
      if (seq !== renderSeq) return;
      if (error instanceof ApiError && error.status === 401) {
        clearToken();
        renderSession();
        show(loginForm('The server did not accept this token (401). Enter a valid token.'));
        return;
      }
      show(problemBox(error));
    }
    return;
  }
  show(notAvailable(path));
}

function show(node) {
  main.replaceChildren(node);
  const target = main.querySelector('[data-scroll-target]');
  if (target) target.scrollIntoView({ block: 'center' });
  const heading = main.querySelector('h1');
  document.title = heading ? `${heading.textContent} · DocsGen Store` : 'DocsGen Store';
}

/** A refusal or failure of the API, said in words: status, title and the server's detail. */
export function problemBox(error) {
  if (error instanceof ApiError) {
    const p = error.problem || {};
    const lead = error.status === 403
      ? 'Refused: this token\'s role does not allow it (403 Forbidden).'
      : `The server answered ${error.status}${p.title ? ` ${p.title}` : ''}.`;
    return h('div', { class: 'alert', role: 'alert' },
      h('h1', {}, error.status === 404 ? 'Not found' : error.status === 403 ? 'Refused' : 'Could not load this page'),
      h('p', {}, lead),
      p.detail ? h('p', { class: 'detail' }, p.detail) : null,
      h('p', {}, h('a', { href: '#/runs' }, 'Back to the runs')));
  }
  return h('div', { class: 'alert', role: 'alert' },
    h('h1', {}, 'Could not load this page'),
    h('p', {}, 'The server could not be reached or answered something unexpected.'),
    h('p', { class: 'detail' }, String(error && error.message ? error.message : error)));
}

function notAvailable(path) {
  const words = path.split('/').filter(Boolean);
  const write = words.find((w) => WRITE_WORDS.has(w.toLowerCase()));
  if (write) {
    return h('div', { class: 'alert', role: 'alert', id: 'refusal' },
      h('h1', {}, 'Not available: this view is read-only'),
      h('p', {}, `The browser view has no "${write}" action and sends no writes, whatever the token's role.`),
      h('p', {}, 'Writes (runs, executions, artifacts, issues, approvals, bundles) go through the JSON API or the docsgen command line with a writer, approver or admin token.'),
      h('p', {}, h('a', { href: '#/runs' }, 'Back to the runs')));
  }
  return h('div', { class: 'alert', role: 'alert' },
    h('h1', {}, 'No such page'),
    h('p', {}, 'This address does not name a page of the browser view.'),
    h('p', {}, h('a', { href: '#/runs' }, 'Back to the runs')));
}

function loginForm(message) {
  const input = h('input', {
    id: 'token', name: 'token', type: 'password', autocomplete: 'off', spellcheck: 'false',
    required: true, 'aria-describedby': 'token-help',
  });
  const status = h('p', { class: 'form-error', role: 'alert', id: 'login-error' }, message || '');
  const form = h('form', { class: 'card login', id: 'login', novalidate: true },
    h('h1', {}, 'Open the browser view'),
    h('label', { for: 'token' }, 'API token'),
    input,
    h('p', { id: 'token-help', class: 'muted' },
      'A bearer token of any role (reader is enough). It is kept in this tab only (sessionStorage), sent as the Authorization header and never put in a URL.'),
    h('button', { type: 'submit', class: 'primary' }, 'Open'),
    status);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const value = input.value.trim();
    if (!value) {
      status.textContent = 'Enter a token.';
      return;
    }
    setToken(value);
    try {
      await getJson('/api/runs', { limit: 1 });
    } catch (error) {
      clearToken();
      status.textContent = error instanceof ApiError && error.status === 401
        ? 'The server did not accept this token (401).'
        : `Could not check the token: ${error.message}`;
      input.focus();
      return;
    }
    input.value = '';
    render();
  });
  setTimeout(() => input.focus(), 0);
  return form;
}

function renderSession() {
  const nav = document.getElementById('session');
  if (!token()) {
    nav.replaceChildren();
    return;
  }
  nav.replaceChildren(
    h('a', { href: href(['runs']) }, 'Runs'),
    h('button', {
      type: 'button', class: 'link-button', id: 'sign-out',
      onclick: () => { clearToken(); location.hash = '#/runs'; render(); },
    }, 'Forget token'));
}

window.addEventListener('hashchange', () => {
  render().then(() => main.focus({ preventScroll: true }));
});
render();
