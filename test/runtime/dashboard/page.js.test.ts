// The dashboard in a real headless Chromium (Debian's `chromium`, installed by scripts/setup-test-host.sh).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import type { BrowserContext } from 'playwright-core';
import { DEFAULT_CHANNEL_POLICY } from '../../../runtime/settings.js';
import { startGateway } from '../../../runtime/serve.js';
import { strongToken, tempDir, testSettings } from '../fixtures.js';

const CHROMIUM = '/usr/bin/chromium';
const ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

/** Where the screenshot goes; printed so a person can look at it. Removed unless KEEP_SCREENSHOT is set. */
const shots = mkdtempSync(join(tmpdir(), 'kafclaw-dashboard-shot-'));

test('loads, asks for the token, rejects a wrong one, shows the signals with the right one', async () => {
  assert.ok(existsSync(CHROMIUM), `${CHROMIUM} is missing: apt-get install -y chromium (scripts/setup-test-host.sh)`);
  const dir = tempDir();
  const token = strongToken();
  const gateway = await startGateway(testSettings(dir.path, {
    tokens: [{ secret: token }],
    channels: { slack: { ...DEFAULT_CHANNEL_POLICY, allowFrom: ['owner'] } },
  }));
  const profile = mkdtempSync(join(tmpdir(), 'kafclaw-chromium-'));
  let context: BrowserContext | undefined;
  try {
    // Some activity for the page to show: an unknown sender and a denied exec request.
    const post = (sender: string, text: string) =>
      fetch(`${gateway.urls.api}/api/v1/channels/slack/inbound`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token.reveal()}`, 'content-type': 'application/json' },
        body: JSON.stringify({ sender_id: sender, text }),
      });
    await post('<b>stranger</b>', 'hello');
    await post('owner', '/tool exec cat /etc/passwd');

    context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: ARGS });
    const page = context.pages()[0] ?? (await context.newPage());
    const problems: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error' && !/401|Unauthorized/.test(message.text())) problems.push(message.text());
    });
    page.on('pageerror', (error) => problems.push(error.message));

    await page.goto(`${gateway.urls.dashboard}/`);
    await page.locator('#token').waitFor({ state: 'visible', timeout: 10_000 });
    assert.ok(await page.locator('#content').isHidden(), 'no data before the token');

    await page.fill('#token', 'not-the-token-0123456789');
    await page.click('#login-form button[type=submit]');
    await page.locator('#error').waitFor({ state: 'visible', timeout: 10_000 });
    assert.match(await page.locator('#error').textContent() ?? '', 'did not accept that token');
    assert.ok(await page.locator('#content').isHidden());
    assert.is(await page.evaluate('sessionStorage.length'), 0, 'a rejected token is not kept');

    await page.fill('#token', token.reveal());
    await page.click('#login-form button[type=submit]');
    await page.locator('#signals tbody tr').nth(3).waitFor({ timeout: 10_000 });
    const rows = await page.locator('#signals tbody tr').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-signal')));
    assert.equal(rows, ['token-usage-spike', 'unknown-senders', 'high-risk-tool-attempts', 'auth-failures']);
    assert.ok(await page.locator('#error').isHidden());
    const events = await page.locator('#events tbody').textContent();
    assert.match(events ?? '', '<b>stranger</b>', 'a sender id is shown as text, not markup');
    assert.match(events ?? '', 'TOOL_DENIED');
    assert.match(await page.locator('#operations').textContent() ?? '', 'none recorded');
    const authFailures = await page.locator('#signals tr[data-signal="auth-failures"] td').nth(2).textContent();
    assert.is(authFailures, '1', 'only the wrong token failed: the page makes no unauthenticated data or icon requests');

    await page.reload();
    await page.locator('#signals tbody tr').nth(3).waitFor({ timeout: 10_000 });
    assert.ok(await page.locator('#login').isHidden(), 'the token is kept for the tab');

    const shot = join(shots, 'dashboard.png');
    await page.screenshot({ path: shot, fullPage: true });
    assert.ok(statSync(shot).size > 1000);
    process.stderr.write(`dashboard screenshot: ${shot}\n`);
    assert.equal(problems, [], 'no script errors or CSP violations');
  } finally {
    await context?.close();
    await gateway.close();
    rmSync(profile, { recursive: true, force: true });
    if (!process.env.KEEP_SCREENSHOT) rmSync(shots, { recursive: true, force: true });
    dir.remove();
  }
});

test.run();
