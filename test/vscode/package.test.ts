/**
 * The .vsix files `npm run package` builds: the universal one — what is in it (an allowlist,
 * nothing else), its size, and that what is in it works on its own, unpacked far from this
 * repository's node_modules: the runtime loads its prebuilt addon, the CLI checks the examples and
 * reports the runtime, the language server answers — and one per VS Code target, each with only
 * its own prebuild.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { RULE_IDS } from '../../server/src/protocol';
import { REPO_ROOT } from '../e2e/support/paths';
import { ensureFreshVsix, VSIX_TARGETS } from '../e2e/support/vsix';

const MAX_BYTES = 10 * 1024 * 1024;
const HERE = `${process.platform}-${process.arch}`;

/** Every entry a package may hold. */
const ALLOWED = [
  /^\[Content_Types\]\.xml$/,
  /^extension\.vsixmanifest$/,
  /^extension\/(package\.json|readme\.md|changelog\.md|LICENSE\.txt)$/,
  /^extension\/images\/icon\.png$/,
  /^extension\/dist\/(client|cli|core|bench-serve|bench-load|benchmark-view)\.js$/,
  /^extension\/dist\/benchmark-view\.css$/,
  /^extension\/docs\/rules\/[a-zA-Z-]+\.md$/,
  /^extension\/dist\/node_modules\/zerocopy\/(package\.json|LICENSE|dist\/[\w./-]+\.js|prebuilds\/[a-z0-9]+-[a-z0-9]+\/[\w.-]+\.node)$/,
  /^extension\/dist\/node_modules\/node-gyp-build\/([\w-]+\.js|package\.json|LICENSE)$/,
];

function entriesOf(vsix: string): string[] {
  const r = spawnSync('unzip', ['-Z1', vsix], { encoding: 'utf8' });
  assert.equal(r.status, 0, `unzip -Z1 failed (is unzip installed? .ci/setup-editors.sh installs it): ${r.stderr}`);
  return r.stdout.split('\n').filter((l) => l && !l.endsWith('/'));
}

function unpack(vsix: string, into: string): string {
  const r = spawnSync('unzip', ['-q', vsix, '-d', into], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return join(into, 'extension');
}

describe('the packaged extension (.vsix)', () => {
  let vsix: string;
  let entries: string[];
  let extension: string;
  const scratch = mkdtempSync(join(tmpdir(), 'zc-vsix-'));

  before(() => {
    vsix = ensureFreshVsix();
    entries = entriesOf(vsix);
    extension = unpack(vsix, scratch);
  });
  after(() => rmSync(scratch, { recursive: true, force: true }));

  it(`stays under 10 MB`, () => {
    const size = statSync(vsix).size;
    console.log(`# ${vsix}: ${(size / 1024 / 1024).toFixed(2)} MB, ${entries.length} files`);
    assert.ok(size < MAX_BYTES, `${size} bytes`);
  });

  it('holds only allowlisted files: no sources, tests, maps or stray node_modules', () => {
    const strays = entries.filter((e) => !ALLOWED.some((re) => re.test(e)));
    assert.deepEqual(strays, []);
    assert.equal(entries.filter((e) => /\.(ts|map)$/.test(e)).length, 0);
  });

  it('holds the bundles, the runtime with the prebuilt addon of every target, the rule docs, README, CHANGELOG, LICENSE and icon', () => {
    const required = [
      'extension/package.json',
      'extension/readme.md',
      'extension/changelog.md',
      'extension/LICENSE.txt',
      'extension/images/icon.png',
      'extension/dist/client.js',
      'extension/dist/cli.js',
      'extension/dist/core.js',
      'extension/dist/bench-serve.js',
      'extension/dist/bench-load.js',
      'extension/dist/benchmark-view.js',
      'extension/dist/benchmark-view.css',
      'extension/dist/node_modules/zerocopy/package.json',
      'extension/dist/node_modules/zerocopy/dist/index.js',
      'extension/dist/node_modules/node-gyp-build/index.js',
      ...RULE_IDS.map((rule) => `extension/docs/rules/${rule}.md`),
    ];
    for (const entry of required) assert.ok(entries.includes(entry), `${entry} is packaged`);
    // node-gyp-build's folders and prebuildify's names (glibc-tagged on Linux: musl does not load them).
    assert.deepEqual(entries.filter((e) => e.includes('/prebuilds/')).sort(), [
      'extension/dist/node_modules/zerocopy/prebuilds/darwin-arm64/zerocopy.node',
      'extension/dist/node_modules/zerocopy/prebuilds/darwin-x64/zerocopy.node',
      'extension/dist/node_modules/zerocopy/prebuilds/linux-arm64/zerocopy.glibc.node',
      'extension/dist/node_modules/zerocopy/prebuilds/linux-x64/zerocopy.glibc.node',
      'extension/dist/node_modules/zerocopy/prebuilds/win32-x64/zerocopy.node',
    ]);
    assert.doesNotMatch(spawnSync('unzip', ['-p', vsix, 'extension.vsixmanifest'], { encoding: 'utf8' }).stdout, /TargetPlatform=/);
  });

  it('ships minified bundles without source map links', () => {
    for (const bundle of ['client.js', 'cli.js', 'core.js', 'bench-serve.js', 'bench-load.js', 'benchmark-view.js']) {
      const text = readFileSync(join(extension, 'dist', bundle), 'utf8');
      assert.doesNotMatch(text.slice(-300), /sourceMappingURL/, bundle);
    }
  });

  it('loads the zerocopy runtime and its addon from the unpacked extension', () => {
    const probe = `console.log(JSON.stringify(require(${JSON.stringify(join(extension, 'dist', 'node_modules', 'zerocopy'))}).available))`;
    const r = spawnSync(process.execPath, ['-e', probe], { cwd: scratch, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const available = JSON.parse(r.stdout) as { loaded: boolean; path?: string };
    assert.equal(available.loaded, true, r.stdout);
    assert.ok(available.path?.startsWith(extension), `the addon comes from the package: ${available.path}`);
  });

  it('runs `zerocopy check` from the unpacked extension, with the same findings as the repository build', () => {
    const examples = join(REPO_ROOT, 'examples');
    const packaged = spawnSync(process.execPath, [join(extension, 'dist', 'cli.js'), 'check', examples, '--format', 'json'], { cwd: scratch, encoding: 'utf8' });
    assert.equal(packaged.status, 1, `exit 1 (findings): ${packaged.stderr}`);
    const findings = (JSON.parse(packaged.stdout) as { findings: { rule: string; file: string }[] }).findings;
    assert.ok(findings.length >= 3, `findings in the examples: ${findings.length}`);
    const fromRepo = spawnSync(process.execPath, [join(REPO_ROOT, 'dist', 'cli.js'), 'check', examples, '--format', 'json'], { cwd: scratch, encoding: 'utf8' });
    const repoFindings = (JSON.parse(fromRepo.stdout) as { findings: unknown[] }).findings;
    assert.deepEqual(findings, repoFindings);
  });

  it('runs `zerocopy bench` from the unpacked extension: its child processes and the packaged runtime', () => {
    const target = join(REPO_ROOT, 'examples', 'media-server', 'src', 'lib', 'media-store.js');
    const r = spawnSync(process.execPath, [join(extension, 'dist', 'cli.js'), 'bench', `${target}:25`, '--sizes', '64K', '--concurrency', '1', '--time-budget', '1', '--json'], { cwd: scratch, encoding: 'utf8', timeout: 120_000 });
    assert.equal(r.status, 0, r.stderr);
    const report = JSON.parse(r.stdout) as { environment: { runtime: { addon: boolean } }; variants: Array<{ name: string; wrong?: string; points: Array<{ verified: boolean }> }> };
    assert.equal(report.environment.runtime.addon, true, 'the packaged addon loads in the serving process');
    for (const v of report.variants) {
      assert.equal(v.wrong, undefined, v.name);
      assert.ok(v.points.length > 0 && v.points.every((p) => p.verified), v.name);
    }
  });

  it('starts the language server from the unpacked extension and answers `initialize` over stdio', async () => {
    const server = spawn(process.execPath, [join(extension, 'dist', 'cli.js'), 'lsp', '--stdio'], { cwd: scratch, stdio: ['pipe', 'pipe', 'inherit'] });
    try {
      const reply = firstMessage(server.stdout!);
      send(server.stdin!, { jsonrpc: '2.0', id: 1, method: 'initialize', params: { processId: process.pid, rootUri: null, capabilities: {} } });
      const result = (await reply) as { id: number; result: { capabilities: { hoverProvider?: unknown }; serverInfo?: { name: string } } };
      assert.equal(result.id, 1);
      assert.ok(result.result.capabilities.hoverProvider);
      assert.equal(result.result.serverInfo?.name, 'zerocopy');
    } finally {
      server.kill('SIGKILL');
    }
  });

  it('reports the runtime from the unpacked extension: sendfile and mmap here, the fallback and why without the addon', () => {
    const cli = join(extension, 'dist', 'cli.js');
    const here = spawnSync(process.execPath, [cli, 'runtime-info', '--json'], { cwd: scratch, encoding: 'utf8' });
    assert.equal(here.status, 0, here.stderr);
    const info = JSON.parse(here.stdout) as { platform: string; arch: string; loaded: boolean; path?: string; sendfile: boolean; mmap: boolean };
    assert.deepEqual(
      { ...info, node: undefined },
      { platform: process.platform, arch: process.arch, node: undefined, loaded: true, path: join(extension, 'dist', 'node_modules', 'zerocopy', 'prebuilds', HERE, 'zerocopy.glibc.node'), sendfile: true, mmap: true, sigbusGuard: true },
    );
    const none = spawnSync(process.execPath, [cli, 'runtime-info', '--json'], { cwd: scratch, encoding: 'utf8', env: { ...process.env, ZEROCOPY_BINDING: 'none' } });
    assert.equal(none.status, 0, none.stderr);
    assert.deepEqual(
      { ...JSON.parse(none.stdout), node: undefined },
      { platform: process.platform, arch: process.arch, node: undefined, loaded: false, reason: 'disabled by ZEROCOPY_BINDING=none', sendfile: false, mmap: false, sigbusGuard: false },
    );
  });

  for (const target of VSIX_TARGETS) {
    it(`builds the ${target} package (vsce --target): under 10 MB, with only its own prebuild`, () => {
      const targeted = ensureFreshVsix(target);
      const size = statSync(targeted).size;
      console.log(`# ${targeted}: ${(size / 1024 / 1024).toFixed(2)} MB`);
      assert.ok(size < MAX_BYTES, `${size} bytes`);
      const manifest = spawnSync('unzip', ['-p', targeted, 'extension.vsixmanifest'], { encoding: 'utf8' }).stdout;
      assert.match(manifest, new RegExp(`TargetPlatform="${target}"`));
      const targetEntries = entriesOf(targeted);
      assert.deepEqual(targetEntries.filter((e) => !ALLOWED.some((re) => re.test(e))), []);
      const prebuilds = targetEntries.filter((e) => e.includes('/prebuilds/'));
      assert.equal(prebuilds.length, 1, JSON.stringify(prebuilds));
      assert.match(prebuilds[0]!, new RegExp(`^extension/dist/node_modules/zerocopy/prebuilds/${target}/zerocopy(\\.glibc)?\\.node$`));
      // Everything else is the universal package's.
      assert.deepEqual(targetEntries.filter((e) => !e.includes('/prebuilds/')).sort(), entries.filter((e) => !e.includes('/prebuilds/')).sort());
    });
  }

  it('refuses a package for a target without a prebuild, and leaves no file', () => {
    const out = join(scratch, 'never.vsix');
    const r = spawnSync(process.execPath, ['scripts/package-vsix.mjs', '--target', 'alpine-x64', '--out', out], { cwd: REPO_ROOT, encoding: 'utf8' });
    assert.equal(r.status, 1);
    assert.match(r.stderr, /no prebuilt addon for alpine-x64: the targets are linux-x64, linux-arm64, darwin-x64, darwin-arm64, win32-x64/);
    assert.equal(existsSync(out), false);
  });
});

function send(stream: NodeJS.WritableStream, message: unknown): void {
  const body = Buffer.from(JSON.stringify(message), 'utf8');
  stream.write(`Content-Length: ${body.length}\r\n\r\n`);
  stream.write(body);
}

/** The first LSP message on a stream (Content-Length framing). */
function firstMessage(stream: NodeJS.ReadableStream): Promise<unknown> {
  return new Promise((resolve, reject) => {
    let buffer = Buffer.alloc(0);
    const timer = setTimeout(() => reject(new Error('no reply from the language server within 20 s')), 20_000);
    stream.on('data', (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      const headerEnd = buffer.indexOf('\r\n\r\n');
      if (headerEnd < 0) return;
      const length = Number(/Content-Length: (\d+)/i.exec(buffer.subarray(0, headerEnd).toString('latin1'))?.[1]);
      if (buffer.length < headerEnd + 4 + length) return;
      clearTimeout(timer);
      resolve(JSON.parse(buffer.subarray(headerEnd + 4, headerEnd + 4 + length).toString('utf8')));
    });
  });
}
