// The integration's page, /integrations/{id}: status, test, sync now, history, mapping, conflicts, settings.
import { api } from './api.js';
import {
  h, head, fill, byId, notice, statusBadge, when, millis, words, flash, flowText, scheduleText,
} from './dom.js';
import { IntegrationForm, authKinds, label } from './form.js';
import { startOAuth } from './oauth.js';

const id = decodeURIComponent(location.pathname.split('/').filter(Boolean)[1] || '');
const HISTORY_LIMIT = 20;
let integration;
let provider;

async function main() {
  const query = new URLSearchParams(location.search);
  if (query.has('connected')) {
    notice(byId('notice'), 'ok', 'Connected. You can test the connection and sync now.');
  } else if (query.has('oauthError')) {
    notice(byId('notice'), 'error', 'Not connected: ' + query.get('oauthError'));
  }
  if (location.search) {
    history.replaceState(null, '', location.pathname);
  }
  wireActions();
  try {
    const [loaded, catalogue] = await Promise.all([api.get(id), api.catalogue()]);
    provider = catalogue.categories.flatMap((c) => c.providers).find((p) => p.name === loaded.provider)
      || { name: loaded.provider, displayName: loaded.provider, auth: [], settings: [] };
    show(loaded);
    // A first sync reads everything; after that, changes are what a user usually wants.
    byId('sync-mode').value = loaded.lastSyncAt ? 'delta' : 'full';
    showSettings();
  } catch (e) {
    notice(byId('notice'), 'error', e.message);
    return;
  }
  await Promise.all([
    section('history', loadHistory), section('mapping', loadMapping), section('conflicts', loadConflicts),
  ]);
}

/** Loads one part of the page; its failure shows in that part, and the rest still loads. */
async function section(elementId, load) {
  try {
    await load();
  } catch (e) {
    fill(byId(elementId), h('p', { class: 'notice notice-error' }, 'Could not load this part: ' + e.message));
  }
}

/** Shows the integration's overview and the buttons that fit its status. */
function show(loaded) {
  integration = loaded;
  byId('title').textContent = integration.name;
  byId('crumb').textContent = integration.name;
  document.title = integration.name + ' · crmkit';
  fill(byId('status'), statusBadge(integration.status));
  const facts = [
    ['Platform', provider.displayName],
    ['Direction', flowText(integration.flow)],
    ['Frequency', scheduleText(integration.schedule)],
    ['Account', integration.accountId || '—'],
    ['Last sync', when(integration.lastSyncAt)],
    ['Last error', integration.lastError || '—'],
  ];
  fill(byId('overview'), facts.map(([term, value]) => h('div', {}, h('dt', {}, term), h('dd', {}, value))));
  const paused = integration.status === 'paused';
  byId('toggle').textContent = paused ? 'Enable' : 'Disable';
  const oauthOnly = authKinds(provider).includes('oauth2') && integration.status === 'disconnected';
  byId('connect').hidden = !oauthOnly;
  byId('connect').textContent = 'Connect with ' + provider.displayName;
}

function wireActions() {
  byId('test').addEventListener('click', busy(byId('test'), testConnection));
  byId('sync').addEventListener('click', busy(byId('sync'), syncNow));
  byId('toggle').addEventListener('click', busy(byId('toggle'), toggle));
  byId('connect').addEventListener('click', busy(byId('connect'), () => startOAuth(integration)));
  byId('refresh-history').addEventListener('click', busy(byId('refresh-history'), loadHistory));
  byId('add-rule').addEventListener('click', () => {
    const body = byId('mapping').querySelector('tbody') || showMapping([]);
    const row = ruleRow({ field: '', remoteField: '', flow: 'bidirectional', transform: '' }, body.rows.length);
    body.append(row);
    row.querySelector('input').focus();
  });
  byId('mapping-form').addEventListener('submit', (event) => {
    event.preventDefault();
    busy(byId('save-mapping'), saveMapping)();
  });
  byId('delete').addEventListener('click', () => byId('delete-dialog').showModal());
  byId('delete-dialog').addEventListener('close', () => {
    if (byId('delete-dialog').returnValue === 'delete') {
      remove();
    }
  });
}

/** Runs an action with its button disabled, showing a thrown error in the page's notice. */
function busy(button, action) {
  return async () => {
    button.disabled = true;
    button.setAttribute('aria-busy', 'true');
    try {
      await action();
    } catch (e) {
      notice(byId('notice'), 'error', e.message);
    } finally {
      button.disabled = false;
      button.removeAttribute('aria-busy');
    }
  };
}

async function testConnection() {
  notice(byId('test-result'), 'info', 'Testing the connection…');
  const result = await api.test(id);
  if (result.ok) {
    notice(byId('test-result'), 'ok', 'Connection OK (' + millis(result.latencyMs) + ').');
  } else {
    notice(byId('test-result'), 'error', 'Connection failed: ' + words(result.failure || 'unknown')
      + (result.message ? ': ' + result.message : ''));
  }
}

async function syncNow() {
  notice(byId('sync-result'), 'info', '');
  byId('sync-progress').hidden = false;
  try {
    const answer = await api.sync(id, byId('sync-mode').value);
    const r = answer.result || {};
    const errors = Array.isArray(r.errors) ? r.errors.length : r.errors || 0;
    const text = 'Synced ' + (r.synced ?? 0) + ' records: ' + (r.created ?? 0) + ' created, ' + (r.updated ?? 0)
      + ' updated, ' + errors + ' errors, in ' + millis(r.duration) + '.';
    notice(byId('sync-result'), answer.success ? 'ok' : 'error', answer.success ? text : 'Sync failed. ' + text);
  } finally {
    byId('sync-progress').hidden = true;
  }
  show(await api.get(id));
  await loadHistory();
}

async function toggle() {
  const changed = integration.status === 'paused' ? await api.enable(id) : await api.disable(id);
  show(changed);
  const paused = changed.status === 'paused';
  notice(byId('notice'), paused ? 'info' : 'ok', paused ? 'Paused: it does not sync until you enable it.' : 'Enabled.');
}

async function remove() {
  try {
    await api.remove(id, byId('erase-sync-state').checked);
    flash('Integration "' + integration.name + '" deleted.');
    location.assign('/');
  } catch (e) {
    notice(byId('notice'), 'error', e.message);
  }
}

async function loadHistory() {
  const logs = await api.logs(id, HISTORY_LIMIT);
  const runs = logs.runs || [];
  fill(byId('history'), runs.length === 0 ? h('p', { class: 'muted' }, 'No runs yet: press "Sync now".')
    : h('table', { class: 'table', id: 'runs' },
      h('caption', { class: 'visually-hidden' }, 'Run history, newest first'),
      head('Started', 'Kind', 'Status', 'Duration', 'Records'),
      h('tbody', {}, runs.map((run) => h('tr', { 'data-run-id': run.id },
        h('td', {}, when(run.startedAt)),
        h('td', {}, words(run.kind)),
        h('td', {}, h('span', { class: 'badge run-' + words(run.status).replaceAll(' ', '-') }, words(run.status))),
        h('td', {}, run.finishedAt ? millis(run.durationMs) : 'running'),
        h('td', { class: 'counts' }, counts(run.counts)))))));
  const webhooks = logs.webhooks || [];
  fill(byId('webhooks'), webhooks.length === 0 ? null : [
    h('h3', {}, 'Webhook deliveries'),
    h('table', { class: 'table', id: 'deliveries' },
      head('Received', 'Outcome', 'Events', 'Duplicates', 'HTTP status'),
      h('tbody', {}, webhooks.map((d) => h('tr', {},
        h('td', {}, when(d.receivedAt)), h('td', {}, words(d.outcome)), h('td', {}, d.events),
        h('td', {}, d.duplicates), h('td', {}, d.status))))),
  ]);
}

/** "processed 12 · created 12" without the zeros. */
function counts(map) {
  const parts = Object.entries(map || {}).filter(([, n]) => n).map(([k, n]) => words(k) + ' ' + n);
  return parts.length ? parts.join(' · ') : 'nothing to do';
}

const RULE_FLOWS = { bidirectional: 'Both ways', push: 'Push only', pull: 'Pull only' };

async function loadMapping() {
  const { rules } = await api.mapping(id);
  showMapping(rules);
}

function showMapping(rules) {
  const body = h('tbody', {}, rules.map((rule, i) => ruleRow(rule, i)));
  fill(byId('mapping'), h('table', { class: 'table mapping', id: 'mapping-table' },
    h('caption', { class: 'visually-hidden' }, 'Field mapping'),
    head('crmkit field', 'Remote field', 'Direction', 'Transform', ''),
    body));
  return body;
}

function ruleRow(rule, i) {
  const name = rule.field || 'row ' + (i + 1);
  const flow = String(rule.flow || 'bidirectional').toLowerCase();
  const input = (field, value, label, more) =>
    h('input', Object.assign({ type: 'text', name: field, value: value || '', 'aria-label': label }, more));
  const remove = h('button', { type: 'button', class: 'button small', 'aria-label': 'Remove ' + name }, 'Remove');
  const row = h('tr', { 'data-field': rule.field },
    h('td', {}, input('field', rule.field, 'crmkit field, ' + name, { required: true })),
    h('td', {}, input('remoteField', rule.remoteField, 'Remote field for ' + name)),
    h('td', {}, h('select', { name: 'flow', 'aria-label': 'Direction for ' + name },
      Object.entries(RULE_FLOWS).map(([v, t]) => h('option', { value: v, selected: v === flow }, t)))),
    h('td', {}, input('transform', rule.transform, 'Transform for ' + name, { placeholder: 'none' })),
    h('td', {}, remove));
  remove.addEventListener('click', () => row.remove());
  return row;
}

async function saveMapping() {
  const rows = [...byId('mapping').querySelectorAll('tbody tr')];
  const rules = [];
  for (const row of rows) {
    const value = (name) => row.querySelector('[name="' + name + '"]').value.trim();
    if (!value('field')) {
      row.querySelector('[name="field"]').focus();
      notice(byId('mapping-notice'), 'error', 'Every row needs a crmkit field; remove the empty row or fill it in.');
      return;
    }
    rules.push({
      field: value('field'),
      remoteField: value('remoteField') || null,
      flow: value('flow'),
      transform: value('transform') || null,
    });
  }
  try {
    const saved = await api.saveMapping(id, rules);
    showMapping(saved.rules);
    notice(byId('mapping-notice'), 'ok', 'Mapping saved.');
  } catch (e) {
    notice(byId('mapping-notice'), 'error', e.message);
  }
}

async function loadConflicts() {
  const { conflicts } = await api.conflicts(id);
  const open = conflicts.filter((c) => !c.status || String(c.status).toLowerCase() === 'open');
  fill(byId('conflicts'), open.length === 0 ? h('p', { class: 'muted' }, 'No open conflicts.')
    : h('ul', { class: 'conflicts' }, open.map(conflictItem)));
}

function conflictItem(conflict) {
  const keepLocal = h('button', { type: 'button', class: 'button small' }, 'Keep crmkit\'s values');
  const keepRemote = h('button', { type: 'button', class: 'button small' },
    'Keep ' + provider.displayName + '\'s values');
  const resolve = (button, side) => button.addEventListener('click', busy(button, async () => {
    await api.resolve(id, conflict.id, side);
    notice(byId('notice'), 'ok', 'Conflict resolved.');
    await loadConflicts();
  }));
  resolve(keepLocal, 'local');
  resolve(keepRemote, 'remote');
  return h('li', { class: 'conflict', 'data-conflict-id': conflict.id },
    h('p', {}, 'Customer ', h('code', {}, conflict.localId || '?'), ' ↔ ', h('code', {}, conflict.externalId || '?'),
      ', detected ', when(conflict.detectedAt)),
    h('table', { class: 'table' },
      head('Field', 'crmkit', provider.displayName, 'Before'),
      h('tbody', {}, (conflict.fields || []).map((f) => h('tr', {},
        h('td', {}, label(String(f.field))), h('td', {}, f.localValue ?? '—'), h('td', {}, f.remoteValue ?? '—'),
        h('td', {}, f.baseValue ?? '—'))))),
    h('div', { class: 'actions' }, keepLocal, keepRemote));
}

function showSettings() {
  new IntegrationForm(byId('form-root'), provider, integration, async ({ draft, connect }) => {
    const saved = await api.update(id, draft);
    show(saved);
    if (connect) {
      await startOAuth(saved);
      return;
    }
    showSettings();
    notice(byId('form-notice'), 'ok', 'Settings saved.');
  });
}

main();
