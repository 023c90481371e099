// The new integration page: /integrations/new?provider=<name>.
import { api } from './api.js';
import { byId, fill, flash, notice } from './dom.js';
import { IntegrationForm } from './form.js';
import { startOAuth } from './oauth.js';

async function main() {
  const name = new URLSearchParams(location.search).get('provider');
  try {
    const catalogue = await api.catalogue();
    const provider = catalogue.categories.flatMap((c) => c.providers).find((p) => p.name === name);
    if (!provider) {
      fill(byId('form-root'));
      notice(byId('notice'), 'error',
        name ? 'No integration called "' + name + '" is installed.' : 'Choose an integration first.');
      return;
    }
    byId('title').textContent = 'Connect ' + provider.displayName;
    document.title = 'Connect ' + provider.displayName + ' · crmkit';
    new IntegrationForm(byId('form-root'), provider, null, async ({ draft, connect, status }) => {
      const created = await api.create(draft);
      if (connect) {
        notice(status, 'info', 'Saved. Taking you to ' + provider.displayName + ' to allow access…');
        try {
          await startOAuth(created);
        } catch (e) {
          // Saved but not connected: its page offers "Connect" again, and a second submit would duplicate it.
          location.assign('/integrations/' + encodeURIComponent(created.id)
            + '?oauthError=' + encodeURIComponent(e.message));
        }
        return;
      }
      flash(provider.displayName + ' integration "' + created.name + '" is connected.');
      notice(status, 'ok', 'Saved. Taking you back to your integrations…');
      setTimeout(() => location.assign('/'), 800);
    });
  } catch (e) {
    fill(byId('form-root'));
    notice(byId('notice'), 'error', e.message);
  }
}

main();
