// The explorer's page and its script: GraphiQL (served from our own node_modules, see assets.ts) with
// a bar of demo accounts. Choosing one fetches a fresh token for it; the fetcher sends it as a bearer
// token unless the headers tab names its own Authorization, and fetches a new one once when the
// server answers 401 (an expired token), so a long session never needs a restart of the server.

/** The page; `nonce` is not needed: every script comes from our own origin (see the CSP). */
export function explorerPage(endpoint: string): string {
  return `<!doctype html>
<html lang="en" data-endpoint="${endpoint}">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>clinic-graph explorer</title>
  <link rel="stylesheet" href="/explorer/assets/graphiql.css">
  <style>
    html, body { height: 100%; margin: 0; }
    body { display: flex; flex-direction: column; font-family: system-ui, sans-serif; }
    #demo-accounts { display: flex; flex-wrap: wrap; align-items: center; gap: 6px; padding: 6px 10px; border-bottom: 1px solid #ddd; font-size: 13px; }
    #demo-accounts button { font: inherit; padding: 3px 8px; border: 1px solid #bbb; border-radius: 4px; background: #fff; cursor: pointer; }
    #demo-accounts button[aria-pressed="true"] { background: #1f6feb; border-color: #1f6feb; color: #fff; }
    #demo-password { margin-left: auto; color: #555; }
    #graphiql { flex: 1; min-height: 0; }
  </style>
</head>
<body>
  <div id="demo-accounts" role="toolbar" aria-label="Demo accounts"><span id="signed-in-as">Requests are sent without a token.</span></div>
  <div id="graphiql"></div>
  <script src="/explorer/assets/react.js"></script>
  <script src="/explorer/assets/react-dom.js"></script>
  <script src="/explorer/assets/graphiql.js"></script>
  <script src="/explorer/explorer.js"></script>
</body>
</html>
`;
}

/** Runs in the browser (plain ES2020: no build step). */
export const EXPLORER_SCRIPT = `'use strict';
(function () {
  var endpoint = document.documentElement.dataset.endpoint;
  var bar = document.getElementById('demo-accounts');
  var status = document.getElementById('signed-in-as');
  var current = null;

  function mint(email) {
    return fetch('/explorer/demo-token?email=' + encodeURIComponent(email), { headers: { accept: 'application/json' } })
      .then(function (response) { if (!response.ok) throw new Error('no token for ' + email); return response.json(); })
      .then(function (body) { return body.token; });
  }

  function choose(account, button) {
    var buttons = bar.querySelectorAll('button');
    for (var i = 0; i < buttons.length; i++) buttons[i].setAttribute('aria-pressed', String(buttons[i] === button));
    if (!account) { current = null; status.textContent = 'Requests are sent without a token.'; return Promise.resolve(); }
    status.textContent = 'Fetching a token for ' + account.who + '...';
    return mint(account.email).then(function (token) {
      current = { who: account.who, email: account.email, token: token };
      status.textContent = 'Requests are sent as ' + account.who + '.';
    }, function () { current = null; status.textContent = 'No token could be had for ' + account.who + '.'; });
  }

  function button(label, account) {
    var element = document.createElement('button');
    element.type = 'button';
    element.textContent = label;
    element.setAttribute('aria-pressed', 'false');
    if (account) element.dataset.email = account.email;
    element.addEventListener('click', function () { choose(account, element); });
    bar.insertBefore(element, status);
    return element;
  }

  fetch('/explorer/demo-accounts', { headers: { accept: 'application/json' } })
    .then(function (response) { return response.ok ? response.json() : { accounts: [] }; })
    .then(function (body) {
      if (body.accounts.length === 0) return;
      button('No token', null).setAttribute('aria-pressed', 'true');
      body.accounts.forEach(function (account) { button(account.who, account); });
      if (body.password) {
        var password = document.createElement('span');
        password.id = 'demo-password';
        password.textContent = 'login: a demo email and the password ' + body.password;
        bar.appendChild(password);
      }
    });

  function post(params, headers) {
    return fetch(endpoint, {
      method: 'POST',
      headers: Object.assign({ 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json' }, headers),
      body: JSON.stringify(params),
    });
  }

  function fetcher(params, options) {
    var own = (options && options.headers) || {};
    var ownAuthorization = Object.keys(own).some(function (name) { return name.toLowerCase() === 'authorization'; });
    function headers() { return current && !ownAuthorization ? Object.assign({ authorization: 'Bearer ' + current.token }, own) : own; }
    return post(params, headers()).then(function (response) {
      if (response.status !== 401 || !current || ownAuthorization) return response.json();
      var chosen = current;
      return mint(chosen.email).then(function (token) {
        if (current === chosen) current.token = token;
        return post(params, headers()).then(function (retried) { return retried.json(); });
      });
    });
  }

  ReactDOM.createRoot(document.getElementById('graphiql')).render(
    React.createElement(GraphiQL, { fetcher: fetcher, defaultQuery: '# Directory fields need no token; choose a demo account above for the rest.\\nquery Clinics {\\n  clinics { id name city }\\n}\\n' })
  );
})();
`;
