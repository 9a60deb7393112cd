import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SettingsCache } from '../../server/src/lsp/settingsCache';
import { DEFAULT_SETTINGS } from '../../server/src/protocol';
import { enabledRules, resolveSettings } from '../../server/src/workspace/settings';

test('missing or malformed values fall back to the defaults one by one', () => {
  assert.deepEqual(resolveSettings(undefined), DEFAULT_SETTINGS);
  assert.deepEqual(resolveSettings(null), DEFAULT_SETTINGS);
  const s = resolveSettings({
    enable: 'yes',
    severity: { 'read-then-send': 'error', 'stream-to-socket': 'loud', 'not-a-rule': 'off' },
    include: ['src/**'],
    exclude: 'dist',
    maxFileSize: -1,
    trace: { server: 'verbose' },
  });
  assert.equal(s.enable, true);
  assert.equal(s.severity['read-then-send'], 'error');
  assert.equal(s.severity['stream-to-socket'], 'warning');
  assert.equal('not-a-rule' in s.severity, false);
  assert.deepEqual(s.include, ['src/**']);
  assert.deepEqual(s.exclude, []);
  assert.equal(s.maxFileSize, DEFAULT_SETTINGS.maxFileSize);
  assert.equal(s.trace.server, 'verbose');
});

test('enabledRules leaves out the rules set to off', () => {
  const s = resolveSettings({ severity: { 'file-to-file': 'off' } });
  assert.deepEqual(enabledRules(s), ['read-then-send', 'stream-to-socket', 'read-loop-to-socket', 'inspect-then-send']);
});

test('settings are fetched once per workspace folder, for the innermost folder, until cleared', async () => {
  const asked: Array<string | undefined> = [];
  const cache = new SettingsCache(async (folder) => {
    asked.push(folder);
    return folder === '/w/inner' ? { maxFileSize: 10 } : { maxFileSize: 20 };
  }, () => ['/w', '/w/inner']);
  assert.equal(cache.folderOf('/w/inner/a.js'), '/w/inner');
  assert.equal(cache.folderOf('/w/innerx/a.js'), '/w');
  assert.equal(cache.folderOf('/elsewhere/a.js'), undefined);
  assert.equal((await cache.get('/w/inner/a.js')).maxFileSize, 10);
  assert.equal((await cache.get('/w/inner/b.js')).maxFileSize, 10);
  assert.equal((await cache.get('/w/a.js')).maxFileSize, 20);
  assert.equal((await cache.get('/elsewhere/a.js')).maxFileSize, 20);
  assert.deepEqual(asked, ['/w/inner', '/w', undefined]);
  assert.equal(cache.peek('/w/inner/c.js').maxFileSize, 10);
  cache.clear();
  assert.equal(cache.peek('/w/inner/c.js').maxFileSize, DEFAULT_SETTINGS.maxFileSize);
  await cache.get('/w/inner/a.js');
  assert.deepEqual(asked, ['/w/inner', '/w', undefined, '/w/inner']);
});

test('a client that fails to answer gets the defaults', async () => {
  const cache = new SettingsCache(() => Promise.reject(new Error('no')), () => []);
  assert.deepEqual(await cache.get('/a.js'), DEFAULT_SETTINGS);
});

test('untrusted (Restricted Mode): the size limit can be lowered, not raised; code lenses off; the rest as given', () => {
  const raw = { maxFileSize: 100_000_000, exclude: ['gen/**'], codeLens: { enable: true }, benchmark: { timeoutSeconds: 3600 }, severity: { 'read-then-send': 'error' } };
  const untrusted = resolveSettings(raw, { trusted: false });
  assert.equal(untrusted.maxFileSize, DEFAULT_SETTINGS.maxFileSize);
  assert.equal(untrusted.codeLens.enable, false);
  assert.equal(untrusted.benchmark.timeoutSeconds, DEFAULT_SETTINGS.benchmark.timeoutSeconds);
  assert.deepEqual(untrusted.exclude, ['gen/**']);
  assert.equal(untrusted.severity['read-then-send'], 'error');
  assert.equal(resolveSettings({ maxFileSize: 1000 }, { trusted: false }).maxFileSize, 1000);
  assert.equal(resolveSettings(raw, { trusted: true }).maxFileSize, 100_000_000);
  assert.equal(resolveSettings(raw).maxFileSize, 100_000_000);
});

test('the settings cache resolves with the trust it is given at fetch time', async () => {
  let trusted = false;
  const cache = new SettingsCache(async () => ({ maxFileSize: 9_000_000 }), () => [], () => trusted);
  assert.equal((await cache.get('/w/a.js')).maxFileSize, DEFAULT_SETTINGS.maxFileSize);
  trusted = true;
  cache.clear();
  assert.equal((await cache.get('/w/a.js')).maxFileSize, 9_000_000);
});
