// The one place that talks to the server: every call is a GET of the JSON API with the tab's
// token in the Authorization header. The token lives in sessionStorage (this tab only) and never
// goes into a URL, the history or the console.

const TOKEN_KEY = 'docsgen.token';

export function token() {
  return sessionStorage.getItem(TOKEN_KEY);
}

export function setToken(value) {
  sessionStorage.setItem(TOKEN_KEY, value);
}

export function clearToken() {
  sessionStorage.removeItem(TOKEN_KEY);
}

/** A refused call: the HTTP status and, when the server sent one, its problem document. */
export class ApiError extends Error {
  constructor(status, problem) {
    super((problem && problem.detail) || `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
  }
}

/** Builds an API URL from path segments already encoded and a query object (empty values dropped). */
export function url(path, query) {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query || {})) {
    if (v !== undefined && v !== null && v !== '') params.set(k, String(v));
  }
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

/** Encodes a logical path segment by segment (the path grammar keeps them URL-safe anyway). */
export function artifactPath(path) {
  return '/api/artifacts/' + path.split('/').map(encodeURIComponent).join('/');
}

async function request(target, method = 'GET') {
  const headers = { Accept: 'application/json, text/plain;q=0.9, */*;q=0.8' };
  const t = token();
  if (t) headers.Authorization = `Bearer ${t}`;
  const response = await fetch(target, {
    method, headers, cache: 'no-store', credentials: 'omit', redirect: 'error', referrerPolicy: 'no-referrer',
  });
  if (!response.ok && response.status !== 304) {
    let problem = null;
    const type = response.headers.get('Content-Type') || '';
    if (type.includes('json')) {
      try { problem = await response.json(); } catch (e) { problem = null; }
    }
    throw new ApiError(response.status, problem);
  }
  return response;
}

export async function getJson(path, query) {
  return (await request(url(path, query))).json();
}

/** Text with the response headers (a preview slice answers X-Line-Range). */
export async function getText(path, query) {
  const response = await request(url(path, query));
  return { text: await response.text(), headers: response.headers };
}

/** Headers only (an artifact version's hash, size, type, media type). */
export async function head(path, query) {
  return (await request(url(path, query), 'HEAD')).headers;
}

export async function getBlob(path, query) {
  return (await request(url(path, query))).blob();
}

/** Every item of a paged list, page after page, up to {@code max} items. */
export async function all(path, query, max = 5000) {
  const items = [];
  let cursor = null;
  do {
    const page = await getJson(path, { ...query, limit: 1000, cursor });
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor && items.length < max);
  return items;
}
