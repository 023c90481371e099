// Small DOM helpers. Server text only ever goes through textContent or attribute values, never innerHTML.

/**
 * Builds an element: `h('a', {href: url, class: 'button'}, 'text', child)`. Attributes whose value
 * is null, undefined or false are left out; `true` sets an empty attribute.
 */
export function h(tag, attributes, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes || {})) {
    if (value === null || value === undefined || value === false) {
      continue;
    }
    element.setAttribute(name, value === true ? '' : String(value));
  }
  append(element, children);
  return element;
}

function append(element, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) {
      continue;
    }
    if (Array.isArray(child)) {
      append(element, child);
    } else {
      element.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
  }
}

/** Replaces an element's children. */
export function fill(element, ...children) {
  element.replaceChildren();
  append(element, children);
  return element;
}

/** A table head row of column headers. */
export function head(...labels) {
  return h('thead', {}, h('tr', {}, labels.map((label) => h('th', { scope: 'col' }, label))));
}

export function byId(id) {
  return document.getElementById(id);
}

/** Shows a message in a live region (`kind`: ok, error or info); an empty text hides it. */
export function notice(element, kind, text) {
  element.className = 'notice notice-' + kind;
  element.hidden = !text;
  element.textContent = text || '';
}

const STATUS_TEXT = { active: 'Active', paused: 'Paused', error: 'Error', disconnected: 'Not connected' };

export function statusBadge(value) {
  const status = String(value).toLowerCase();
  return h('span', { class: 'badge status-' + status, 'data-status': status }, STATUS_TEXT[status] || words(status));
}

/** How a sync direction reads, such as "Both ways". */
export function flowText(flow) {
  return FLOW_TEXT[String(flow).toLowerCase()] || words(flow);
}

/** How a sync frequency reads, such as "Hourly". */
export function scheduleText(schedule) {
  return SCHEDULE_TEXT[String(schedule).toLowerCase()] || words(schedule);
}

export const FLOW_TEXT = {
  push: 'Push: crmkit to the CRM',
  pull: 'Pull: the CRM to crmkit',
  bidirectional: 'Both ways',
};

export const SCHEDULE_TEXT = { real_time: 'Real time', hourly: 'Hourly', daily: 'Daily', manual: 'Manual only' };

/** "5 Dec 2026, 14:03" in the reader's locale and zone, or the fallback for null. */
export function when(instant, fallback = 'never') {
  if (!instant) {
    return fallback;
  }
  const date = new Date(instant);
  return Number.isNaN(date.getTime()) ? String(instant) : date.toLocaleString(undefined, {
    dateStyle: 'medium', timeStyle: 'short',
  });
}

export function millis(ms) {
  if (ms === null || ms === undefined) {
    return '';
  }
  return ms < 1000 ? ms + ' ms' : (ms / 1000).toFixed(1) + ' s';
}

/** Words of an enum-ish server value: "partially_failed" → "partially failed". */
export function words(value) {
  return String(value ?? '').toLowerCase().replaceAll('_', ' ');
}

const FLASH_KEY = 'crmkit.flash';

/** Keeps a message for the next page of this tab (a redirect after a save). */
export function flash(text) {
  sessionStorage.setItem(FLASH_KEY, text);
}

export function takeFlash() {
  const text = sessionStorage.getItem(FLASH_KEY);
  sessionStorage.removeItem(FLASH_KEY);
  return text;
}
