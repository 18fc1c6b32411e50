/** The dashboard shell: no data, no inline script or style; everything else is fetched with the token. */
export const DASHBOARD_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>KafClaw gateway</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/dashboard.css">
<script src="/dashboard.js" defer></script>
</head>
<body>
<header>
  <h1>KafClaw gateway</h1>
  <button id="signout" type="button" hidden>Forget token</button>
</header>
<main>
  <section id="login" hidden>
    <h2>Gateway token</h2>
    <p>Enter the gateway token. It is kept in this tab only (sessionStorage) and sent as a bearer header.</p>
    <form id="login-form" autocomplete="off">
      <input id="token" name="token" type="password" autocomplete="off" spellcheck="false" required aria-label="Gateway token">
      <button type="submit">Open dashboard</button>
    </form>
  </section>
  <p id="error" role="alert" hidden></p>
  <div id="content" hidden>
    <section><h2>Status</h2><dl id="status"></dl></section>
    <section><h2>Security signals</h2>
      <table id="signals"><thead><tr><th>Signal</th><th>Verdict</th><th>Observed</th><th>Threshold</th><th>Detail</th></tr></thead><tbody></tbody></table>
    </section>
    <section><h2>Recent security events</h2>
      <table id="events"><thead><tr><th>Time (UTC)</th><th>Type</th><th>Classification</th><th>Sender</th><th>Detail</th></tr></thead><tbody></tbody></table>
    </section>
    <section><h2>Operations</h2><dl id="operations"></dl></section>
    <p class="muted" id="updated"></p>
  </div>
</main>
</body>
</html>
`;
