// The integrations page: active count, my integrations, and the catalogue by category.
import { api } from './api.js';
import { h, head, fill, byId, notice, statusBadge, when, words, takeFlash, flowText, scheduleText } from './dom.js';
import { authLabel } from './form.js';

const CATEGORY_TEXT = { crm: 'CRM', commerce: 'E-commerce', support: 'Support' };

async function main() {
  const flashed = takeFlash();
  const oauthError = new URLSearchParams(location.search).get('oauthError');
  if (oauthError) {
    notice(byId('notice'), 'error', 'The connection was not made: ' + words(oauthError) + '.');
    history.replaceState(null, '', '/');
  } else if (flashed) {
    notice(byId('notice'), 'ok', flashed);
  }
  try {
    const [catalogue, configured] = await Promise.all([api.catalogue(), api.configured()]);
    const providers = new Map();
    for (const category of catalogue.categories) {
      for (const provider of category.providers) {
        providers.set(provider.name, provider);
      }
    }
    showMine(configured, providers);
    showCatalogue(catalogue.categories, configured.integrations);
  } catch (e) {
    notice(byId('notice'), 'error', e.message);
    fill(byId('mine'));
  }
}

function showMine(configured, providers) {
  const count = configured.active;
  byId('active-count').textContent = count + ' active';
  const list = configured.integrations;
  if (list.length === 0) {
    fill(byId('mine'), h('p', { class: 'muted' }, 'No integrations yet: connect one from the list below.'));
    return;
  }
  const rows = list.map((integration) => h('tr', { 'data-integration-id': integration.id },
    h('td', {}, h('a', { href: '/integrations/' + encodeURIComponent(integration.id) }, integration.name)),
    h('td', {}, providers.get(integration.provider)?.displayName || integration.provider),
    h('td', {}, statusBadge(integration.status)),
    h('td', {}, flowText(integration.flow)),
    h('td', {}, scheduleText(integration.schedule)),
    h('td', {}, when(integration.lastSyncAt)),
  ));
  fill(byId('mine'), h('table', { class: 'table', id: 'mine-table' },
    h('caption', { class: 'visually-hidden' }, 'My integrations'),
    head('Name', 'Platform', 'Status', 'Direction', 'Frequency', 'Last sync'),
    h('tbody', {}, rows)));
}

function showCatalogue(categories, configured) {
  const tabs = [{ key: 'all', label: 'All' }].concat(categories.map((c) => ({
    key: String(c.category).toLowerCase(),
    label: CATEGORY_TEXT[String(c.category).toLowerCase()] || c.category,
  })));
  const tablist = byId('tabs');
  const buttons = tabs.map((tab, i) => h('button', {
    type: 'button', role: 'tab', id: 'tab-' + tab.key, 'data-category': tab.key,
    'aria-selected': i === 0 ? 'true' : 'false', tabindex: i === 0 ? '0' : '-1', 'aria-controls': 'available',
  }, tab.label));
  fill(tablist, buttons);
  const select = (index) => {
    buttons.forEach((b, i) => {
      b.setAttribute('aria-selected', i === index ? 'true' : 'false');
      b.tabIndex = i === index ? 0 : -1;
    });
    byId('available').setAttribute('aria-labelledby', buttons[index].id);
    showProviders(categories, tabs[index].key, configured);
  };
  buttons.forEach((button, i) => button.addEventListener('click', () => select(i)));
  tablist.addEventListener('keydown', (event) => {
    const current = buttons.indexOf(document.activeElement);
    if (current < 0 || (event.key !== 'ArrowRight' && event.key !== 'ArrowLeft')) {
      return;
    }
    const next = (current + (event.key === 'ArrowRight' ? 1 : buttons.length - 1)) % buttons.length;
    buttons[next].focus();
    select(next);
  });
  select(0);
}

function showProviders(categories, key, configured) {
  const providers = categories
    .filter((c) => key === 'all' || String(c.category).toLowerCase() === key)
    .flatMap((c) => c.providers);
  if (providers.length === 0) {
    fill(byId('available'), h('p', { class: 'muted' }, 'No integrations installed in this category.'));
    return;
  }
  fill(byId('available'), providers.map((provider) => {
    const connected = configured.filter((i) => i.provider === provider.name).length;
    return h('article', { class: 'card', 'data-provider': provider.name },
      h('h3', {}, provider.displayName),
      h('p', { class: 'muted' }, (CATEGORY_TEXT[String(provider.category).toLowerCase()] || provider.category)
        + ' · ' + authLabel(provider)),
      h('ul', { class: 'features', 'aria-label': 'Features' },
        provider.features.map((f) => h('li', { class: 'badge feature' }, words(f)))),
      h('div', { class: 'card-foot' },
        connected ? h('span', { class: 'muted' }, connected + ' connected') : null,
        h('a', {
          class: 'button primary', href: '/integrations/new?provider=' + encodeURIComponent(provider.name),
          'aria-label': 'Connect ' + provider.displayName,
        }, 'Connect')));
  }));
}

main();
