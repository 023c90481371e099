// The new/edit integration form, generated from the provider's descriptor in the catalogue.
import { h, fill, notice, FLOW_TEXT, SCHEDULE_TEXT } from './dom.js';

const API_KEY = 'apitoken';
const OAUTH = 'oauth2';

/** The provider's auth kinds without separators: "api_token" gives "apitoken". */
export function authKinds(provider) {
  return (provider.auth || []).map((a) => String(a).toLowerCase().replace(/[^a-z0-9]/g, ''));
}

export function authLabel(provider) {
  const kinds = authKinds(provider);
  const names = [kinds.includes(API_KEY) ? 'API key' : null, kinds.includes(OAUTH) ? 'OAuth' : null].filter(Boolean);
  return names.length ? names.join(' or ') : 'no sign-in needed';
}

/**
 * The credential an API-key connection fills. The catalogue names auth kinds, not their credential
 * keys: take the secret setting called like a token or key (accessToken, apiToken, apiKey), else the
 * first secret that is not an OAuth app's.
 */
function apiKeyKeys(provider) {
  const secrets = provider.settings.filter((s) => s.secret);
  const tokens = secrets.filter((s) => /^(access|api)(token|key)$/i.test(s.key)).map((s) => s.key);
  return tokens.length ? tokens : secrets.filter((s) => !isOAuthSetting(s)).slice(0, 1).map((s) => s.key);
}

function isOAuthSetting(setting) {
  return /^OAuth\b/i.test(setting.description || '');
}

function type(setting) {
  return String(setting.type || 'string').toLowerCase();
}

/**
 * Where each setting goes for an auth mode: the connection part (what a user must look at), the
 * advanced part (optional, defaulted), or nowhere (the other mode's credentials; what OAuth fills).
 */
function place(setting, mode, apiKeys) {
  if (apiKeys.includes(setting.key)) {
    return mode === API_KEY ? 'main' : 'none';
  }
  if (isOAuthSetting(setting)) {
    if (mode === OAUTH) {
      return setting.secret && /refresh/i.test(setting.key) ? 'none' : 'main';
    }
    return 'advanced';
  }
  if (setting.required || type(setting) === 'http_url') {
    return 'main';
  }
  return 'advanced';
}

/** "tenSecondlyLimit" → "Ten secondly limit"; "baseUrl" → "Base URL". */
export function label(key) {
  const spaced = key.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase()
    .replace(/\burl\b/g, 'URL').replace(/\bapi\b/g, 'API').replace(/\bid\b/g, 'ID').replace(/\bip\b/g, 'IP');
  return spaced.charAt(0).toUpperCase() + spaced.slice(1);
}

let timeZones;

function zones() {
  if (!timeZones) {
    timeZones = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
    timeZones = ['UTC'].concat(timeZones);
  }
  return timeZones;
}

/** The client-side check of one value; returns a message, or null when it is fine. */
function problem(setting, value, required, text) {
  if (value === '') {
    return required ? 'Enter ' + text.toLowerCase() + '.' : null;
  }
  switch (type(setting)) {
    case 'positive_integer':
      return /^\d+$/.test(value) && Number(value) > 0 ? null : 'Enter a whole number above 0.';
    case 'http_url':
      try {
        const url = new URL(value);
        return url.protocol === 'http:' || url.protocol === 'https:' ? null : 'Enter an http(s) URL.';
      } catch (e) {
        return 'Enter a full URL such as https://example.com.';
      }
    case 'region':
      return /^[A-Za-z]{2}$/.test(value) ? null : 'Enter a two-letter region such as US.';
    case 'time_zone':
      try {
        new Intl.DateTimeFormat(undefined, { timeZone: value });
        return null;
      } catch (e) {
        return 'Enter a time zone such as America/New_York.';
      }
    case 'boolean':
      return value === 'true' || value === 'false' ? null : 'Choose yes or no.';
    default:
      return null;
  }
}

/**
 * The form for a provider. `integration` is the stored one when editing, or null for a new one.
 * `onSubmit({draft, mode, connect})` saves; a thrown ApiError with a field is shown next to it.
 */
export class IntegrationForm {
  constructor(root, provider, integration, onSubmit) {
    this.root = root;
    this.provider = provider;
    this.integration = integration;
    this.onSubmit = onSubmit;
    this.apiKeys = apiKeyKeys(provider);
    const kinds = authKinds(provider);
    this.modes = [API_KEY, OAUTH].filter((k) => kinds.includes(k));
    this.mode = this.initialMode();
    this.values = Object.assign({}, integration ? integration.settings : {});
    this.render();
  }

  initialMode() {
    if (this.modes.length < 2) {
      return this.modes[0] || 'none';
    }
    if (!this.integration) {
      return API_KEY;
    }
    // An OAuth connect stores a refresh token beside the access token; a pasted key is alone.
    const stored = this.integration.credentialKeys || [];
    const connected = stored.some((k) => /refresh/i.test(k)) || !this.apiKeys.some((k) => stored.includes(k));
    return connected ? OAUTH : API_KEY;
  }

  render() {
    const id = this.integration ? this.integration.id : 'new';
    this.form = h('form', { class: 'form', novalidate: true, 'data-mode': this.mode, id: 'integration-form-' + id });
    this.status = h('p', { class: 'notice', role: 'status', 'aria-live': 'polite', hidden: true, id: 'form-notice' });
    this.fields = new Map();
    const name = this.nameValue ?? (this.integration ? this.integration.name : this.provider.displayName);
    this.nameField = this.input({ key: 'name', type: 'string', description: 'How this integration is listed.' },
      'Name', name, true, 'field-name');
    const sections = { main: [], advanced: [] };
    for (const setting of this.provider.settings) {
      const where = place(setting, this.mode, this.apiKeys);
      if (where !== 'none') {
        sections[where].push(this.field(setting));
      }
    }
    const flow = this.flowValue ?? (this.integration ? this.integration.flow : 'bidirectional');
    const schedule = this.scheduleValue ?? (this.integration ? this.integration.schedule : 'hourly');
    fill(this.form,
      this.status,
      this.nameField.wrapper,
      this.modes.length > 1 ? this.authChoice() : null,
      h('fieldset', { class: 'group' }, h('legend', {}, 'Connection'),
        this.mode === OAUTH ? h('p', { class: 'hint' }, 'After saving you go to ' + this.provider.displayName
          + ' to allow access; it sends you back here.') : null,
        sections.main.length ? sections.main : h('p', { class: 'muted' }, 'Nothing to fill in.')),
      h('fieldset', { class: 'group' }, h('legend', {}, 'Sync'),
        this.select('flow', 'Direction', FLOW_TEXT, flow, 'Which way records go.'),
        this.select('schedule', 'Frequency', SCHEDULE_TEXT, schedule,
          'When it syncs by itself; "Sync now" works any time.')),
      sections.advanced.length ? h('details', { class: 'group advanced' },
        h('summary', {}, 'Advanced settings (' + sections.advanced.length + ')'), sections.advanced) : null,
      h('div', { class: 'actions' },
        h('button', { type: 'submit', class: 'button primary', id: 'save' }, this.submitText()),
        h('a', { class: 'button', href: this.back() }, 'Cancel')));
    this.form.addEventListener('submit', (event) => {
      event.preventDefault();
      this.submit();
    });
    fill(this.root, this.form);
  }

  /** Where Cancel goes: the integration's page, or the list for a new one. */
  back() {
    return this.integration ? '/integrations/' + encodeURIComponent(this.integration.id) : '/';
  }

  submitText() {
    if (this.mode === OAUTH && (!this.integration || this.integration.status === 'disconnected')) {
      return 'Save and connect with ' + this.provider.displayName;
    }
    return this.integration ? 'Save changes' : 'Save and connect';
  }

  authChoice() {
    const radios = this.modes.map((mode) => {
      const input = h('input', {
        type: 'radio', name: 'auth', value: mode, id: 'auth-' + mode, checked: mode === this.mode,
      });
      input.addEventListener('change', () => {
        this.remember();
        this.mode = mode;
        this.render();
        this.root.querySelector('#auth-' + mode).focus();
      });
      return h('label', { class: 'choice', for: 'auth-' + mode }, input,
        mode === API_KEY ? ' API key' : ' Connect with OAuth');
    });
    return h('fieldset', { class: 'group' }, h('legend', {}, 'How to sign in'), radios);
  }

  /** Keeps typed values (not secrets) across a re-render when the auth mode changes. */
  remember() {
    for (const [key, field] of this.fields) {
      if (!field.setting.secret) {
        this.values[key] = field.control.value;
      }
    }
    this.nameValue = this.nameField.control.value;
    this.flowValue = this.flowField.value;
    this.scheduleValue = this.scheduleField.value;
  }

  field(setting) {
    const key = setting.key;
    const required = setting.required || (this.mode === API_KEY && this.apiKeys.includes(key) && !this.stored(key));
    const field = this.input(setting, label(key), this.values[key] ?? '', required, 'setting-' + key);
    field.setting = setting;
    this.fields.set(key, field);
    return field.wrapper;
  }

  stored(key) {
    return this.integration && (this.integration.credentialKeys || []).includes(key);
  }

  input(setting, text, value, required, id) {
    const hintId = id + '-hint';
    const errorId = id + '-error';
    let control;
    const common = { id, name: setting.key, 'aria-describedby': hintId + ' ' + errorId, required };
    if (type(setting) === 'boolean') {
      const yesNo = setting.defaultValue === 'true' ? 'yes' : 'no';
      const fallback = setting.defaultValue ? ' (default: ' + yesNo + ')' : '';
      control = h('select', common,
        h('option', { value: '' }, 'Default' + fallback),
        h('option', { value: 'true', selected: value === 'true' }, 'Yes'),
        h('option', { value: 'false', selected: value === 'false' }, 'No'));
    } else {
      const inputType = setting.secret ? 'password'
        : { positive_integer: 'number', http_url: 'url' }[type(setting)] || 'text';
      control = h('input', Object.assign({
        type: inputType,
        autocomplete: setting.secret ? 'new-password' : 'off',
        spellcheck: 'false',
        min: inputType === 'number' ? '1' : null,
        step: inputType === 'number' ? '1' : null,
        list: type(setting) === 'time_zone' ? 'time-zones' : null,
        placeholder: this.stored(setting.key) ? 'Stored; leave blank to keep it'
          : setting.defaultValue ? 'Default: ' + setting.defaultValue : null,
      }, common));
      control.value = value;
    }
    const hint = h('p', { class: 'hint', id: hintId },
      setting.description || '', setting.key !== 'name' ? [' ', h('code', {}, setting.key)] : null,
      setting.docLink ? [' · ', h('a', { href: setting.docLink, target: '_blank', rel: 'noopener noreferrer' },
        'Documentation', h('span', { class: 'visually-hidden' }, ' for ' + text + ' (opens a new tab)'))] : null);
    const error = h('p', { class: 'field-error', id: errorId, hidden: true });
    const wrapper = h('div', { class: 'field' + (required ? ' required' : ''), 'data-key': setting.key },
      h('label', { for: id }, text, required ? h('span', { class: 'req', 'aria-hidden': 'true' }, ' *') : null,
        setting.secret ? h('span', { class: 'tag' }, 'secret') : null),
      control, hint, error,
      type(setting) === 'time_zone' && !document.getElementById('time-zones')
        ? h('datalist', { id: 'time-zones' }, zones().map((z) => h('option', { value: z }))) : null);
    return { wrapper, control, error, required, text, setting };
  }

  select(key, text, options, value, description) {
    const id = 'field-' + key;
    const chosen = String(value).toLowerCase();
    const control = h('select', { id, name: key, 'aria-describedby': id + '-hint' },
      Object.entries(options).map(([v, t]) => h('option', { value: v, selected: v === chosen }, t)));
    this[key + 'Field'] = control;
    return h('div', { class: 'field' }, h('label', { for: id }, text), control,
      h('p', { class: 'hint', id: id + '-hint' }, description));
  }

  showError(field, message) {
    field.error.textContent = message || '';
    field.error.hidden = !message;
    if (message) {
      field.control.setAttribute('aria-invalid', 'true');
    } else {
      field.control.removeAttribute('aria-invalid');
    }
  }

  /** Checks every field; shows each problem next to its field and focuses the first. */
  validate() {
    let first = null;
    const all = [this.nameField].concat([...this.fields.values()]);
    for (const field of all) {
      const message = problem(field.setting, field.control.value.trim(), field.required, field.text);
      this.showError(field, message);
      if (message && !first) {
        first = field;
      }
    }
    if (first) {
      const details = first.wrapper.closest('details');
      if (details) {
        details.open = true;
      }
      first.control.focus();
    }
    return !first;
  }

  draft() {
    const settings = {};
    const credentials = {};
    for (const [key, field] of this.fields) {
      const value = field.control.value.trim();
      if (value === '') {
        continue;
      }
      if (field.setting.secret) {
        credentials[key] = value;
      } else {
        settings[key] = value;
      }
    }
    const draft = {
      name: this.nameField.control.value.trim(),
      flow: this.flowField.value,
      schedule: this.scheduleField.value,
      settings,
    };
    if (!this.integration || Object.keys(credentials).length) {
      draft.credentials = credentials;
    }
    if (this.integration) {
      draft.version = this.integration.version;
    } else {
      draft.provider = this.provider.name;
    }
    return draft;
  }

  /** Shows a server error: next to its field when the server named one, else at the top. */
  serverError(error) {
    const key = String(error.field || '').replace(/^(settings|credentials)\./, '');
    const field = key === 'name' ? this.nameField : this.fields.get(key);
    if (field) {
      this.showError(field, error.message);
      const details = field.wrapper.closest('details');
      if (details) {
        details.open = true;
      }
      field.control.focus();
      notice(this.status, 'error', 'Please correct the field marked below.');
    } else {
      notice(this.status, 'error', error.message);
    }
  }

  async submit() {
    notice(this.status, 'info', '');
    if (!this.validate()) {
      notice(this.status, 'error', 'Please correct the fields marked below.');
      return;
    }
    const button = this.form.querySelector('#save');
    button.disabled = true;
    try {
      const connect = this.mode === OAUTH && (!this.integration || this.integration.status === 'disconnected');
      await this.onSubmit({ draft: this.draft(), mode: this.mode, connect, status: this.status });
    } catch (error) {
      this.serverError(error);
    } finally {
      button.disabled = false;
    }
  }
}
