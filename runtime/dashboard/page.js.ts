/**
 * The dashboard script, served as its own file so the CSP needs no 'unsafe-inline'. Everything
 * from the gateway is written with textContent: timeline fields come from strangers.
 */
export const DASHBOARD_JS = String.raw`'use strict';
(function () {
  var KEY = 'kafclaw.gateway.token';
  var REFRESH_MS = 30000;
  var timer = null;
  var $ = function (id) { return document.getElementById(id); };

  function show(id, visible) { $(id).hidden = !visible; }
  function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); }
  function cell(row, text, className) {
    var td = document.createElement('td');
    td.textContent = text === null || text === undefined ? '' : String(text);
    if (className) td.className = className;
    row.appendChild(td);
  }
  function pair(list, term, value) {
    var dt = document.createElement('dt');
    dt.textContent = term;
    var dd = document.createElement('dd');
    dd.textContent = value;
    list.appendChild(dt);
    list.appendChild(dd);
  }
  function error(message) {
    $('error').textContent = message;
    show('error', Boolean(message));
  }
  function askForToken(message) {
    if (timer) { clearTimeout(timer); timer = null; }
    show('content', false);
    show('signout', false);
    show('login', true);
    error(message || '');
    $('token').value = '';
    $('token').focus();
  }

  function render(data) {
    var status = $('status');
    clear(status);
    pair(status, 'Uptime', Math.round(data.status.uptime_seconds) + ' s');
    pair(status, 'Agent', data.status.agent_provider);
    pair(status, 'Tool policy', 'owner up to tier ' + data.status.tool_policy.maxAutoTier + ', external up to tier ' + data.status.tool_policy.externalMaxTier);
    pair(status, 'Channels', data.status.channels.length === 0 ? 'none configured' :
      data.status.channels.map(function (c) { return c.name + (c.enabled ? ' (enabled)' : ' (disabled)'); }).join(', '));

    var signals = $('signals').tBodies[0];
    clear(signals);
    data.signals.forEach(function (s) {
      var row = signals.insertRow();
      row.setAttribute('data-signal', s.id);
      cell(row, s.id);
      cell(row, s.verdict, 'verdict-' + s.verdict);
      cell(row, s.observed);
      cell(row, s.threshold);
      cell(row, s.detail);
    });

    var events = $('events').tBodies[0];
    clear(events);
    if (data.security_events.length === 0) {
      cell(events.insertRow(), 'no security events recorded');
    }
    data.security_events.forEach(function (e) {
      var row = events.insertRow();
      cell(row, e.timestamp);
      cell(row, e.event_type);
      cell(row, e.classification);
      cell(row, e.sender_id);
      cell(row, e.content_text);
    });

    var ops = $('operations');
    clear(ops);
    var o = data.operations;
    pair(ops, 'Latest audit', o.audit ? o.audit.finishedAt + ' on ' + o.audit.host + ' (' + o.audit.profile + '): ' +
      o.audit.passed + ' passed, ' + o.audit.failed + ' failed, ' + o.audit.waived + ' waived' : 'none recorded');
    pair(ops, 'Latest backup', o.backup ? o.backup.createdAt + ' ' + o.backup.name + ' on ' + o.backup.host +
      (o.backup.verified ? ', verified' : ', NOT verified') + (o.backup.encrypted ? ', encrypted' : '') : 'none recorded');
    pair(ops, 'Latest restore test', o.restoreTest ? o.restoreTest.startedAt + ' on ' + o.restoreTest.target + ': ' +
      (o.restoreTest.ok ? 'passed' : 'FAILED (' + o.restoreTest.failedSteps.join(', ') + ')') : 'none recorded');

    $('updated').textContent = 'Updated ' + data.at;
    error('');
    show('login', false);
    show('content', true);
    show('signout', true);
  }

  function load() {
    var token = sessionStorage.getItem(KEY);
    if (!token) { askForToken(); return; }
    fetch('/api/v1/dashboard', { headers: { Authorization: 'Bearer ' + token }, cache: 'no-store', credentials: 'omit' })
      .then(function (response) {
        if (response.status === 401) {
          sessionStorage.removeItem(KEY);
          askForToken('The gateway did not accept that token.');
          return null;
        }
        if (response.status === 429) {
          sessionStorage.removeItem(KEY);
          askForToken('Too many failed attempts from this address; retry after ' + (response.headers.get('Retry-After') || 'a while') + ' s.');
          return null;
        }
        if (!response.ok) throw new Error('the gateway answered ' + response.status);
        return response.json();
      })
      .then(function (data) {
        if (!data) return;
        render(data);
        timer = setTimeout(load, REFRESH_MS);
      })
      .catch(function (e) {
        error('Could not load the dashboard: ' + e.message);
        timer = setTimeout(load, REFRESH_MS);
      });
  }

  document.addEventListener('DOMContentLoaded', function () {
    $('login-form').addEventListener('submit', function (event) {
      event.preventDefault();
      var value = $('token').value.trim();
      if (!value) return;
      sessionStorage.setItem(KEY, value);
      $('token').value = '';
      load();
    });
    $('signout').addEventListener('click', function () {
      sessionStorage.removeItem(KEY);
      askForToken();
    });
    load();
  });
})();
`;
