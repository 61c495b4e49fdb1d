// A run's bundle: the verify result, every entry with its hash and source version, the DSSE
// attestation and the deployment's public key for download, and the command that verifies the
// bundle offline with them.

import {
  ApiError, artifactPath, getBlob, getJson,
} from './api.js';
import {
  badge, bytes, empty, h, hash, link, saveBlob, section, table, timeEl,
} from './dom.js';
import { runCrumbs } from './pages-runs.js';

async function optional(promise) {
  try {
    return await promise;
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) return null;
    throw error;
  }
}

export async function bundlePage([runId]) {
  const base = `/api/runs/${encodeURIComponent(runId)}`;
  const verification = await optional(getJson(`${base}/bundle/verify`));
  if (!verification) {
    return h('div', {}, runCrumbs(runId, ['Bundle']), h('h1', {}, 'Bundle'),
      h('p', { id: 'no-bundle' }, 'This run has no bundle yet. A bundle is made after final validation passed (POST /api/runs/{runId}/bundle or docsgen bundle).'));
  }
  const [envelope, keys] = await Promise.all([
    optional(getJson(`${base}/bundle/attestation`)),
    optional(getJson('/api/signing-keys'))]);
  const b = verification.bundle;
  const zipName = b.zip.path.split('/').pop();
  const entryRows = b.entries.map((e) => h('tr', {},
    h('td', {}, h('code', {}, e.name)),
    h('td', { class: 'num' }, bytes(e.size)),
    h('td', {}, h('code', { class: 'hash wrap' }, e.hash)),
    h('td', {}, e.source ? link(`${e.source.path.split('/').slice(1).join('/')} @${e.source.generation}`, ['artifact', e.source.path], { generation: e.source.generation }) : 'generated README')));
  const problems = verification.problems.filter((p) => !p.startsWith('OK '));
  const checks = verification.problems;
  return h('div', {},
    runCrumbs(runId, ['Bundle']),
    h('div', { class: 'title-row' }, h('h1', {}, 'Bundle'),
      verification.valid ? badge('VERIFIED', 'passed') : badge('NOT VALID', 'failed')),
    h('section', { class: `card ${verification.valid ? 'gate-passed' : 'gate-failed'}`, id: 'verify' },
      h('h2', {}, 'Verification'),
      h('p', { id: 'verify-result' }, verification.valid
        ? 'The server re-read the zip: its hash and every entry equal what was validated and recorded.'
        : `The bundle does not verify: ${problems.length} problem(s).`),
      h('ul', { class: 'checks' }, checks.map((c) => h('li', { class: c.startsWith('OK ') ? 'ok' : 'bad' }, c)))),
    h('section', { class: 'card' },
      h('h2', {}, 'Zip'),
      h('dl', { class: 'facts' },
        h('dt', {}, 'File'), h('dd', {}, h('code', {}, b.zip.path), ` @${b.zip.generation}`),
        h('dt', {}, 'Size'), h('dd', {}, bytes(b.size)),
        h('dt', {}, 'SHA-256'), h('dd', {}, h('code', { class: 'hash wrap' }, b.zip.hash)),
        h('dt', {}, 'Gated on'), h('dd', {}, link(b.finalExecution, ['runs', runId, 'stages', ...b.finalExecution.split('@').flatMap((p, i) => (i === 0 ? [p, 'executions'] : [p]))])),
        h('dt', {}, 'Bundled by'), h('dd', {}, b.createdBy, ', ', timeEl(b.createdAt))),
      h('p', {}, downloader(`Download ${zipName}`, () => getBlob(artifactPath(b.zip.path), { generation: b.zip.generation }), zipName, 'download-zip'))),
    section(`Entries (${b.entries.length})`, table(['Entry', 'Size', 'SHA-256', 'Source version'], entryRows, { id: 'entries' })),
    attestationSection(runId, envelope, keys, zipName));
}

function downloader(label, fetchBlob, name, id) {
  const status = h('span', { class: 'muted', role: 'status' });
  return h('span', { class: 'download' },
    h('button', {
      type: 'button', class: 'secondary', id,
      onclick: async () => {
        status.textContent = 'Downloading…';
        try {
          saveBlob(await fetchBlob(), name);
          status.textContent = '';
        } catch (error) {
          status.textContent = `Download refused: ${error.message}`;
        }
      },
    }, label), ' ', status);
}

function decodeStatement(envelope) {
  try {
    const bin = atob(envelope.payload);
    const bytesArr = Uint8Array.from(bin, (c) => c.charCodeAt(0));
    return JSON.parse(new TextDecoder().decode(bytesArr));
  } catch (error) {
    return null;
  }
}

function attestationSection(runId, envelope, keys, zipName) {
  const attestationName = zipName.replace(/\.zip$/, '') + '.intoto.jsonl';
  const command = `docsgen verify --offline ${zipName} --attestation ${attestationName} --public-key docsgen-signing-key.pem`;
  if (!envelope) {
    return h('section', { class: 'card', id: 'attestation' },
      h('h2', {}, 'Attestation'),
      h('p', { id: 'no-attestation' }, 'No attestation available for this bundle from this server.'),
      h('p', { class: 'muted' }, 'When the server offers one (GET /api/runs/{runId}/bundle/attestation), it appears here with the public key and the offline verify command.'));
  }
  const statement = decodeStatement(envelope);
  const sig = envelope.signatures && envelope.signatures[0];
  const key = keys && sig ? keys.items.find((k) => k.keyid === sig.keyid) : null;
  const envelopeBlob = () => Promise.resolve(new Blob([JSON.stringify(envelope) + '\n'], { type: 'application/json' }));
  return h('section', { class: 'card', id: 'attestation' },
    h('h2', {}, 'Attestation'),
    h('dl', { class: 'facts' },
      h('dt', {}, 'Envelope'), h('dd', {}, `DSSE, payload ${envelope.payloadType}`),
      h('dt', {}, 'Statement'), h('dd', {}, statement ? `${statement._type}, predicate ${statement.predicateType}, ${(statement.subject || []).length} subjects` : 'payload could not be decoded'),
      h('dt', {}, 'Signed by key'), h('dd', {}, sig ? h('code', { class: 'hash wrap', id: 'keyid' }, sig.keyid) : '—'),
      h('dt', {}, 'Algorithm'), h('dd', {}, key ? key.algorithm : (keys ? 'key not among this server\'s signing keys' : 'signing keys not available'))),
    h('p', { class: 'button-row' },
      downloader('Download attestation', envelopeBlob, attestationName, 'download-attestation'),
      key ? downloader('Download public key', () => Promise.resolve(new Blob([key.publicKeyPem], { type: 'application/x-pem-file' })), 'docsgen-signing-key.pem', 'download-key') : null),
    h('h3', {}, 'Verify offline'),
    h('p', {}, 'With the zip, the attestation and the public key (obtained separately from a source you trust), no store and no server are needed:'),
    h('pre', { class: 'command', id: 'offline-command', tabindex: '0' }, command),
    statement ? h('details', {}, h('summary', {}, 'Statement (decoded payload)'),
      h('pre', { class: 'json', tabindex: '0' }, JSON.stringify(statement, null, 2))) : null);
}

export { empty, hash };
