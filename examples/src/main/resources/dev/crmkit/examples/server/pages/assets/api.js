// The REST API of the example server (see the README's "REST routes"): bearer token, JSON, errors.

const TOKEN_KEY = 'crmkit.token';

/** Reads `#token=...` once, keeps it for the tab in sessionStorage and clears it from the address bar. */
export function token() {
  const match = /(?:^#|&)token=([^&]+)/.exec(location.hash);
  if (match) {
    sessionStorage.setItem(TOKEN_KEY, decodeURIComponent(match[1]));
    history.replaceState(null, '', location.pathname + location.search);
  }
  return sessionStorage.getItem(TOKEN_KEY);
}

/** A failed call: `status` (0 for a network error), `code`, `message` and the `field` the server named. */
export class ApiError extends Error {
  constructor(status, code, message, field) {
    super(message);
    this.status = status;
    this.code = code;
    this.field = field || null;
  }
}

/**
 * Calls the API and returns the parsed JSON (null for 204).
 * @throws ApiError with the server's `{"error":{code,message,field}}`, or code `network`
 */
export async function call(method, path, body) {
  const headers = { Accept: 'application/json' };
  const bearer = token();
  if (bearer) {
    headers.Authorization = 'Bearer ' + bearer;
  }
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
  }
  let response;
  try {
    response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch (e) {
    throw new ApiError(0, 'network', 'The server did not answer. Is crmkit serve still running?');
  }
  if (response.status === 204) {
    return null;
  }
  const json = await response.json().catch(() => null);
  if (!response.ok) {
    const error = (json && json.error) || {};
    const message = response.status === 401
      ? 'Not signed in: open the link with #token=... that crmkit serve printed.'
      : error.message || 'The server answered ' + response.status + '.';
    throw new ApiError(response.status, error.code || String(response.status), message, error.field);
  }
  return json;
}

export const api = {
  catalogue: () => call('GET', '/api/v1/integrations'),
  configured: () => call('GET', '/api/v1/integrations/configured'),
  get: (id) => call('GET', path(id)),
  create: (draft) => call('POST', '/api/v1/integrations', draft),
  update: (id, update) => call('PUT', path(id), update),
  remove: (id, eraseSyncState) => call('DELETE', path(id) + (eraseSyncState ? '?eraseSyncState=true' : '')),
  enable: (id) => call('POST', path(id, 'enable')),
  disable: (id) => call('POST', path(id, 'disable')),
  test: (id) => call('POST', path(id, 'test')),
  sync: (id, mode) => call('POST', path(id, 'sync'), { mode }),
  logs: (id, limit) => call('GET', path(id, 'logs') + '?limit=' + limit),
  mapping: (id) => call('GET', path(id, 'mapping')),
  saveMapping: (id, rules) => call('PUT', path(id, 'mapping'), { rules }),
  conflicts: (id) => call('GET', path(id, 'conflicts')),
  resolve: (id, conflictId, resolution) =>
    call('POST', path(id, 'conflicts/' + encodeURIComponent(conflictId) + '/resolve'), { resolution }),
  connect: (id) => call('GET', path(id, 'connect')),
};

function path(id, action) {
  return '/api/v1/integrations/' + encodeURIComponent(id) + (action ? '/' + action : '');
}
