// Trunkline live dashboard: polls the JSON API (GET /v1/live, GET /v1/campaigns) once a second with the operator's
// API key and draws trunks, live calls, campaigns and a per-second plot. The page itself holds no data, so it is
// served without auth; every figure comes from the API. Strings from the API only ever reach the page through
// textContent or SVG attributes, never innerHTML.

const REFRESH_MS = 1000;
const KEY_STORAGE = 'trunkline.apiKey';
const INVALID_KEY = 'the API key is not valid';

// Shown even when the API leaves a state out, so the tiles do not jump around as calls come and go.
const CALL_STATES = ['queued', 'scheduled', 'dialing', 'ringing', 'in-progress'];
const RECIPIENT_STATUSES = ['pending', 'calling', 'done', 'failed', 'dnc', 'cancelled'];
// A recipient in one of these will not be dialled again: they make up the progress bar.
const FINISHED_STATUSES = ['done', 'failed', 'dnc', 'cancelled'];
const PAUSABLE = ['running', 'scheduled'];

const SERIES_COLORS = {
  started: '#2563eb', completed: '#16a34a', busy: '#d97706',
  'no-answer': '#7c3aed', voicemail: '#0891b2', failed: '#dc2626', canceled: '#64748b', expired: '#a16207',
};
const SPARE_COLORS = ['#db2777', '#65a30d', '#ea580c', '#4b5563'];
const PLOT_WINDOW_MS = 10 * 60 * 1000;
const SVG_NS = 'http://www.w3.org/2000/svg';

const $ = (selector) => document.querySelector(selector);

// ---------------------------------------------------------------------------------------------------------------
// API access

class Unauthorized extends Error {}

class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

function apiKey() {
  return sessionStorage.getItem(KEY_STORAGE);
}

/** One JSON request with the stored key; a 401 becomes Unauthorized so every caller can sign out the same way. */
async function api(path, method = 'GET') {
  const response = await fetch(path, {
    method,
    headers: { Authorization: `Bearer ${apiKey()}`, Accept: 'application/json' },
    cache: 'no-store',
  });
  if (response.status === 401) throw new Unauthorized(INVALID_KEY);
  const body = await response.json().catch(() => null);
  if (!response.ok) throw new ApiError(response.status, body?.message ?? `HTTP ${response.status}`);
  return body;
}

// ---------------------------------------------------------------------------------------------------------------
// Signing in and out

function showSignIn(error) {
  $('#dashboard').hidden = true;
  $('#sign-out').hidden = true;
  $('#sign-in-panel').hidden = false;
  $('#sign-in-error').textContent = error ?? '';
  $('#api-key').focus();
}

function showDashboard() {
  $('#sign-in-panel').hidden = true;
  $('#sign-in-error').textContent = '';
  $('#dashboard').hidden = false;
  $('#sign-out').hidden = false;
}

/** The key is tried by the first refresh: the dashboard appears only once the API has accepted it. */
function signIn(event) {
  event.preventDefault();
  const key = $('#api-key').value.trim();
  if (!key) return;
  sessionStorage.setItem(KEY_STORAGE, key);
  $('#api-key').value = '';
  $('#sign-in-error').textContent = '';
  refresh();
}

function signOut(error) {
  sessionStorage.removeItem(KEY_STORAGE);
  clearTimeout(refreshTimer);
  clearDashboard();
  showSignIn(error);
}

/** Nothing from the previous key stays on screen for the next one. */
function clearDashboard() {
  for (const selector of ['#trunks tbody', '#calls-by-state', '#campaigns tbody', '#plot', '#plot-legend']) {
    $(selector).replaceChildren();
  }
  $('#updated').textContent = '';
  setNotice([]);
}

// ---------------------------------------------------------------------------------------------------------------
// The refresh loop: one request pair at a time; a refresh asked for while one runs (after a click) follows it at
// once instead of overlapping it, so an older answer never overwrites a newer one.

let refreshTimer = null;
let refreshing = false;
let refreshAgain = false;
// The last failed Pause/Resume, shown beside the refresh problems for a while: { message, until }.
let actionError = null;
const ACTION_ERROR_MS = 15_000;

async function refresh() {
  if (refreshing) {
    refreshAgain = true;
    return;
  }
  refreshing = true;
  clearTimeout(refreshTimer);
  try {
    await loadAndRender();
  } catch (e) {
    // An answer the page cannot draw must not stop the loop: say so and try again next second.
    setNotice([`could not show the figures: ${e.message}`]);
  } finally {
    refreshing = false;
  }
  if (!apiKey()) return;
  if (refreshAgain) {
    refreshAgain = false;
    refresh();
  } else {
    refreshTimer = setTimeout(refresh, REFRESH_MS);
  }
}

async function loadAndRender() {
  const key = apiKey();
  const [live, campaigns] = await Promise.allSettled([api('/v1/live'), api('/v1/campaigns')]);
  if (apiKey() !== key) return; // signed out (or in with another key) while the requests were out
  if ([live, campaigns].some((r) => r.status === 'rejected' && r.reason instanceof Unauthorized)) {
    signOut(INVALID_KEY);
    return;
  }
  showDashboard();
  const problems = [];
  if (live.status === 'fulfilled') renderLive(live.value);
  else problems.push(`live figures: ${live.reason.message}`);
  if (campaigns.status === 'fulfilled') renderCampaigns(campaigns.value?.campaigns ?? []);
  else problems.push(`campaigns: ${campaigns.reason.message}`);
  if (actionError && Date.now() < actionError.until) problems.push(actionError.message);
  setNotice(problems);
  if (live.status === 'fulfilled' || campaigns.status === 'fulfilled') {
    $('#updated').textContent = `updated ${new Date().toLocaleTimeString([], { hour12: false })}`;
  }
}

function setNotice(problems) {
  const notice = $('#notice');
  notice.textContent = problems.join(' · ');
  notice.hidden = problems.length === 0;
}

// ---------------------------------------------------------------------------------------------------------------
// Small DOM helpers

function element(tag, className, text) {
  const e = document.createElement(tag);
  if (className) e.className = className;
  if (text !== undefined) e.textContent = text;
  return e;
}

function svgElement(tag, attributes) {
  const e = document.createElementNS(SVG_NS, tag);
  for (const [name, value] of Object.entries(attributes)) e.setAttribute(name, value);
  return e;
}

/**
 * Brings the rows of a table body in line with the items, in their order, keyed by a data attribute: rows are
 * updated in place rather than rebuilt, so a button under the pointer does not vanish between refreshes.
 */
function syncRows(tbody, items, keyOf, attribute, create, update) {
  const existing = new Map([...tbody.rows].map((row) => [row.dataset[attribute], row]));
  items.forEach((item, index) => {
    const key = String(keyOf(item));
    let row = existing.get(key);
    if (row) existing.delete(key);
    else {
      row = create();
      row.dataset[attribute] = key;
    }
    update(row, item);
    if (tbody.rows[index] !== row) tbody.insertBefore(row, tbody.rows[index] ?? null);
  });
  for (const stale of existing.values()) stale.remove();
}

function number(value) {
  return Number.isFinite(value) ? value : 0;
}

// ---------------------------------------------------------------------------------------------------------------
// Live figures: trunks, calls by state, the plot

function renderLive(live) {
  renderTrunks(live?.trunks ?? []);
  renderCallStates(live?.calls_by_state ?? {});
  renderPlot(live?.series ?? []);
}

function renderTrunks(trunks) {
  syncRows($('#trunks tbody'), trunks, (t) => t.name, 'trunk', createTrunkRow, updateTrunkRow);
}

function createTrunkRow() {
  const row = element('tr');
  row.append(element('td', 'name'), element('td', 'num cps'), element('td', 'num calls'), element('td', 'state'));
  return row;
}

function updateTrunkRow(row, trunk) {
  row.querySelector('.name').textContent = trunk.name;
  row.querySelector('.cps').textContent = `${number(trunk.cps_used)} / ${number(trunk.cps_limit)}`;
  row.querySelector('.calls').textContent = `${number(trunk.calls)} / ${number(trunk.concurrency_limit)}`;
  const state = row.querySelector('.state');
  state.replaceChildren(element('span', trunk.down ? 'badge bad' : 'badge good', trunk.down ? 'down' : 'up'));
}

function renderCallStates(byState) {
  const list = $('#calls-by-state');
  const states = [...CALL_STATES, ...Object.keys(byState).filter((s) => !CALL_STATES.includes(s))];
  for (const state of states) {
    let value = list.querySelector(`dd[data-state="${CSS.escape(state)}"]`);
    if (!value) {
      const tile = element('div', 'state-tile');
      value = element('dd');
      value.dataset.state = state;
      tile.append(element('dt', null, state), value);
      list.append(tile);
    }
    value.textContent = String(number(byState[state]));
  }
}

function seriesKeys(series) {
  const keys = new Set();
  for (const second of series) for (const key of Object.keys(second)) if (key !== 't') keys.add(key);
  const known = Object.keys(SERIES_COLORS).filter((k) => keys.has(k));
  return [...known, ...[...keys].filter((k) => !(k in SERIES_COLORS))];
}

function seriesColor(key, index) {
  return SERIES_COLORS[key] ?? SPARE_COLORS[index % SPARE_COLORS.length];
}

/** The smallest 1, 2 or 5 times a power of ten that is at least value: round axis steps. */
function niceStep(value) {
  const power = 10 ** Math.floor(Math.log10(value));
  return [1, 2, 5, 10].map((m) => m * power).find((s) => s >= value);
}

function renderPlot(series) {
  const svg = $('#plot');
  const [width, height] = [960, 260];
  const margin = { left: 44, right: 16, top: 12, bottom: 28 };
  const plotWidth = width - margin.left - margin.right;
  const plotHeight = height - margin.top - margin.bottom;
  const keys = seriesKeys(series);

  const times = series.map((s) => Date.parse(s.t));
  const end = times.length ? Math.max(...times) : Date.now();
  const start = end - PLOT_WINDOW_MS;
  const peak = Math.max(1, ...series.flatMap((s) => keys.map((k) => number(s[k]))));
  const step = Math.max(1, niceStep(peak / 4)); // counts per second: whole numbers on the axis
  const top = Math.ceil(peak / step) * step;
  const x = (t) => margin.left + ((t - start) / PLOT_WINDOW_MS) * plotWidth;
  const y = (v) => margin.top + plotHeight - (v / top) * plotHeight;

  const children = [];
  for (let v = 0; v <= top; v += step) {
    children.push(svgElement('line', { class: 'grid', x1: margin.left, x2: width - margin.right, y1: y(v), y2: y(v) }));
    const label = svgElement('text', { class: 'axis', x: margin.left - 6, y: y(v) + 4, 'text-anchor': 'end' });
    label.textContent = String(v);
    children.push(label);
  }
  // A time label every two minutes, on the whole minute, in the operator's local time.
  const twoMinutes = 2 * 60 * 1000;
  for (let t = Math.ceil(start / twoMinutes) * twoMinutes; t <= end; t += twoMinutes) {
    const label = svgElement('text', { class: 'axis', x: x(t), y: height - 8, 'text-anchor': 'middle' });
    label.textContent = new Date(t).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', hour12: false });
    children.push(label, svgElement('line', { class: 'tick', x1: x(t), x2: x(t), y1: margin.top + plotHeight, y2: margin.top + plotHeight + 4 }));
  }
  // Drawn last to first, so where lines overlap (mostly at 0) the first series, calls started, stays on top.
  [...keys.entries()].reverse().forEach(([index, key]) => {
    const points = series
      .map((s, i) => [times[i], number(s[key])])
      .filter(([t]) => t >= start)
      .map(([t, v]) => `${x(t).toFixed(1)},${y(v).toFixed(1)}`)
      .join(' ');
    children.push(svgElement('polyline', { 'data-series': key, points, fill: 'none', stroke: seriesColor(key, index), 'stroke-width': 2 }));
  });
  if (!series.length) {
    const empty = svgElement('text', { class: 'axis', x: width / 2, y: height / 2, 'text-anchor': 'middle' });
    empty.textContent = 'no calls in the last 10 minutes';
    children.push(empty);
  }
  svg.replaceChildren(...children);
  renderLegend(keys, series.filter((_, i) => times[i] >= start));
}

/** One entry per series with its total over the plotted window: most seconds are 0, a total says more. */
function renderLegend(keys, series) {
  $('#plot-legend').replaceChildren(...keys.map((key, index) => {
    const total = series.reduce((sum, s) => sum + number(s[key]), 0);
    const item = element('li');
    item.dataset.series = key;
    item.title = `${total} in the last 10 minutes`;
    const swatch = element('span', 'swatch');
    swatch.style.background = seriesColor(key, index);
    item.append(swatch, element('span', null, key), element('span', 'muted', String(total)));
    return item;
  }));
}

// ---------------------------------------------------------------------------------------------------------------
// Campaigns

function renderCampaigns(campaigns) {
  syncRows($('#campaigns tbody'), campaigns, (c) => c.id, 'campaign', createCampaignRow, updateCampaignRow);
  $('#campaigns-empty').hidden = campaigns.length > 0;
}

function createCampaignRow() {
  const row = element('tr');
  const name = element('td', 'name');
  name.append(element('span', 'campaign-name'), element('span', 'campaign-id muted'));
  const progress = element('td', 'progress');
  const bar = element('div', 'bar');
  bar.setAttribute('role', 'progressbar');
  bar.setAttribute('aria-valuemin', '0');
  bar.append(element('div', 'fill'));
  progress.append(bar, element('span', 'progress-text muted'));
  const counts = element('td', 'counts');
  for (const status of RECIPIENT_STATUSES) {
    const chip = element('span', `count count-${status}`);
    const value = element('span', 'value');
    value.dataset.count = status;
    chip.append(element('span', 'label', status), value);
    counts.append(chip);
  }
  const action = element('td', 'action');
  const button = element('button');
  button.type = 'button';
  button.addEventListener('click', () => control(row, button));
  action.append(button);
  row.append(name, element('td', 'status'), progress, counts,
      element('td', 'num rate'), element('td', 'num eta'), element('td', 'num abandonment'), action);
  return row;
}

function updateCampaignRow(row, campaign) {
  const progress = campaign.progress ?? {};
  const byStatus = progress.by_status ?? {};
  row.querySelector('.campaign-name').textContent = campaign.name;
  row.querySelector('.campaign-id').textContent = campaign.id;

  const status = row.querySelector('.status');
  status.textContent = campaign.status;
  status.dataset.status = campaign.status;

  const total = number(progress.recipients);
  const finished = FINISHED_STATUSES.reduce((sum, s) => sum + number(byStatus[s]), 0);
  const percent = total > 0 ? Math.min(100, (finished / total) * 100) : 0;
  const bar = row.querySelector('.bar');
  bar.setAttribute('aria-valuemax', String(total));
  bar.setAttribute('aria-valuenow', String(finished));
  row.querySelector('.fill').style.width = `${percent}%`;
  row.querySelector('.progress-text').textContent = `${finished} / ${total} (${Math.floor(percent)} %)`;

  for (const value of row.querySelectorAll('[data-count]')) {
    const count = number(byStatus[value.dataset.count]);
    value.textContent = String(count);
    value.parentElement.classList.toggle('zero', count === 0);
  }
  row.querySelector('.rate').textContent = `${number(progress.rate_cps).toFixed(1)} cps`;
  // A paused campaign will not finish by itself: an ETA from its last minute's rate would mislead.
  row.querySelector('.eta').textContent = campaign.status === 'running' ? formatEta(progress.eta_s) : '—';
  updateAbandonment(row.querySelector('.abandonment'), progress.abandonment);
  updateControl(row.querySelector('.action button'), campaign.status);
}

function updateAbandonment(cell, abandonment) {
  if (!abandonment) {
    cell.replaceChildren('—');
    return;
  }
  // The throttle is why a campaign dials slower than its cps: say so in the cell, not only in the tooltip.
  cell.replaceChildren(`${number(abandonment.rate_percent).toFixed(1)} %`);
  if (abandonment.throttled) {
    const to = Number.isFinite(abandonment.concurrency_now) ? ` to ${abandonment.concurrency_now} at a time` : '';
    cell.append(element('span', 'throttle-note', `throttled${to}`));
  }
  const cap = Number.isFinite(abandonment.cap_percent) ? `; cap ${abandonment.cap_percent.toFixed(1)} %` : '';
  cell.title = `${number(abandonment.abandoned)} abandoned of ${number(abandonment.answered_by_human)} answered `
      + `by a person over ${number(abandonment.period_days)} days${cap}`
      + (abandonment.throttled ? ': dialling throttled' : '');
  cell.classList.toggle('throttled', Boolean(abandonment.throttled));
}

/** Pause for a campaign that dials or will, Resume for a paused one, nothing for a finished one. */
function updateControl(button, status) {
  if (button.dataset.busy) return; // its request is out: the answer decides
  const action = PAUSABLE.includes(status) ? 'pause' : status === 'paused' ? 'resume' : null;
  button.hidden = action === null;
  button.className = action ?? '';
  button.dataset.action = action ?? '';
  button.textContent = action === 'pause' ? 'Pause' : action === 'resume' ? 'Resume' : '';
}

async function control(row, button) {
  const action = button.dataset.action;
  if (!action) return;
  const id = row.dataset.campaign;
  button.dataset.busy = 'true';
  button.disabled = true;
  actionError = null;
  try {
    // The answer is the campaign resource: show it at once rather than waiting for the next refresh.
    const campaign = await api(`/v1/campaigns/${encodeURIComponent(id)}/${action}`, 'POST');
    delete button.dataset.busy;
    if (campaign?.id === id) updateCampaignRow(row, campaign);
  } catch (e) {
    if (e instanceof Unauthorized) {
      signOut(INVALID_KEY);
      return;
    }
    const name = row.querySelector('.campaign-name').textContent;
    actionError = { message: `could not ${action} ${name}: ${e.message}`, until: Date.now() + ACTION_ERROR_MS };
  } finally {
    delete button.dataset.busy;
    button.disabled = false;
  }
  refresh();
}

function formatEta(seconds) {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return '—';
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
  if (s < 86400) return `${Math.floor(s / 3600)} h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')} min`;
  return `${Math.floor(s / 86400)} d ${Math.floor((s % 86400) / 3600)} h`;
}

// ---------------------------------------------------------------------------------------------------------------

function start() {
  $('#sign-in-form').addEventListener('submit', signIn);
  $('#sign-out').addEventListener('click', () => signOut());
  if (apiKey()) {
    $('#sign-in-panel').hidden = true; // a reload in the same tab keeps the key
    refresh();
  } else {
    showSignIn();
  }
}

start();
