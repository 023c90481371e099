// OAuth connect: the server builds the vendor's authorization URL; its callback brings the browser
// back to /integrations/{id}?connected=1 (or ?oauthError=...).
import { api } from './api.js';

export async function startOAuth(integration) {
  const { authorizationUrl } = await api.connect(integration.id);
  location.assign(authorizationUrl);
}
