// Building the page: elements are created one by one and every stored value goes in as text
// (textContent / attribute values), never as markup.

export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'class') el.className = value;
    else if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2), value);
    else if (key === 'dataset') Object.assign(el.dataset, value);
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children) {
    if (child === undefined || child === null || child === false) continue;
    if (Array.isArray(child)) append(el, child);
    else if (child instanceof Node) el.appendChild(child);
    else el.appendChild(document.createTextNode(String(child)));
  }
}

/** An in-page link to a route of the view ({@code parts} are encoded; {@code query} optional). */
export function href(parts, query) {
  const path = '#/' + parts.map((p) => String(p).split('/').map(encodeURIComponent).join('/')).join('/');
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query || {})) {
    if (v !== undefined && v !== null && v !== '') params.set(k, String(v));
  }
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

export function link(text, parts, query, attrs) {
  return h('a', { href: href(parts, query), ...(attrs || {}) }, text);
}

export function badge(text, kind) {
  return h('span', { class: `badge badge-${String(kind || text).toLowerCase()}` }, text);
}

export function when(iso) {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC');
}

export function timeEl(iso) {
  return iso ? h('time', { datetime: iso, title: iso }, when(iso)) : '—';
}

export function duration(startIso, endIso) {
  if (!startIso || !endIso) return '—';
  const ms = new Date(endIso) - new Date(startIso);
  if (!(ms >= 0)) return '—';
  if (ms < 1000) return `${ms} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${Math.round(s % 60)} s`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}

export function bytes(n) {
  if (n === undefined || n === null) return '—';
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) { v /= 1024; i += 1; }
  return `${v.toFixed(v < 10 ? 1 : 0)} ${units[i]}`;
}

/** A hash shown short, the whole value in the title and in the copyable text. */
export function hash(value) {
  if (!value) return '—';
  const short = value.replace(/^(sha256:[0-9a-f]{12})[0-9a-f]+$/, '$1…');
  return h('code', { class: 'hash', title: value }, short);
}

export function table(headers, rows, attrs) {
  // each cell knows its column's name, so a narrow window can show rows as labelled cards
  for (const row of rows) {
    [...row.children].forEach((cell, i) => {
      if (headers[i]) cell.setAttribute('data-label', headers[i]);
    });
  }
  return h('div', { class: 'table-wrap' },
    h('table', attrs || {},
      h('thead', {}, h('tr', {}, headers.map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', {}, rows)));
}

export function section(title, ...children) {
  return h('section', { class: 'card' }, h('h2', {}, title), ...children);
}

export function empty(text) {
  return h('p', { class: 'muted' }, text);
}

/** Saves a blob under {@code name} through a temporary blob: URL (never rendered in the page). */
export function saveBlob(blob, name) {
  const objectUrl = URL.createObjectURL(blob);
  const a = h('a', { href: objectUrl, download: name, class: 'hidden' });
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(objectUrl), 30000);
}
