/**
 * The extension manifest (root package.json) kept in step with the code: every setting of the
 * server's `Settings` type contributed with its default, a description and a scope; the commands
 * of the protocol under one category; activation, Workspace Trust; and a client that stays thin.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { COMMANDS, DEFAULT_SETTINGS, RESTRICTED_SETTINGS, RULE_IDS, SETTINGS_SECTION } from '../../server/src/protocol';
import { REPO_ROOT } from '../e2e/support/paths';

interface Property {
  type: string;
  default: unknown;
  scope?: string;
  description?: string;
  markdownDescription?: string;
  enum?: string[];
  enumDescriptions?: string[];
}

const manifest = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8'));
const properties: Record<string, Property> = manifest.contributes.configuration.properties;
const LANGUAGES = ['typescript', 'typescriptreact', 'javascript', 'javascriptreact'];

/** `{ a: { b: 1 }, severity: {...} }` -> `zerocopy.a.b` = 1, one key per rule severity. Arrays are values. */
function settingLeaves(value: unknown, prefix: string): Map<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return new Map([[prefix, value]]);
  return new Map(Object.entries(value).flatMap(([key, v]) => [...settingLeaves(v, `${prefix}.${key}`)]));
}

describe('extension manifest', () => {
  const leaves = settingLeaves(DEFAULT_SETTINGS, SETTINGS_SECTION);

  it('contributes every setting of the Settings type with its default, and nothing else', () => {
    assert.deepEqual(Object.keys(properties).sort(), [...leaves.keys()].sort());
    for (const [key, value] of leaves) assert.deepEqual(properties[key]!.default, value, `${key} default`);
  });

  it('describes every setting and gives it a scope', () => {
    for (const [key, p] of Object.entries(properties)) {
      assert.ok((p.description ?? p.markdownDescription ?? '').length > 20, `${key} has a description`);
      assert.ok(['application', 'machine', 'window', 'resource', 'language-overridable', 'machine-overridable'].includes(p.scope ?? ''), `${key} scope`);
    }
    assert.equal(properties['zerocopy.trace.server']!.scope, 'window', 'the trace is per window: one server per window');
  });

  it('offers a severity per rule, with the levels the server understands', () => {
    for (const rule of RULE_IDS) {
      const p = properties[`zerocopy.severity.${rule}`];
      assert.ok(p, `zerocopy.severity.${rule}`);
      assert.deepEqual(p.enum, ['error', 'warning', 'information', 'hint', 'off']);
      assert.equal(p.enumDescriptions?.length, p.enum.length);
      assert.match(p.markdownDescription ?? '', new RegExp(`docs/rules/${rule}\\.md`));
    }
    assert.deepEqual(properties['zerocopy.trace.server']!.enum, ['off', 'messages', 'verbose']);
  });

  it('contributes the protocol\'s commands, all under the "Zero-Copy" category', () => {
    const commands: { command: string; title: string; category: string }[] = manifest.contributes.commands;
    assert.deepEqual(commands.map((c) => c.command).sort(), Object.values(COMMANDS).sort());
    for (const c of commands) {
      assert.equal(c.category, 'Zero-Copy');
      assert.ok(c.title.length > 0);
    }
    assert.deepEqual(commands.map((c) => c.title).sort(), ['Analyse Workspace', 'Benchmark This Transfer', 'Restart Server', 'Show Rule Docs']);
  });

  it('activates on TypeScript and JavaScript files only', () => {
    assert.deepEqual([...manifest.activationEvents].sort(), LANGUAGES.map((l) => `onLanguage:${l}`).sort());
    assert.equal(manifest.main, './dist/client.js');
  });

  it('declares limited support for untrusted workspaces, with the settings that run code restricted', () => {
    const trust = manifest.capabilities.untrustedWorkspaces;
    assert.equal(trust.supported, 'limited');
    assert.ok(trust.description.length > 20);
    // The same list the server limits itself when told the workspace is not trusted.
    assert.deepEqual([...trust.restrictedConfigurations].sort(), RESTRICTED_SETTINGS.map((s) => `zerocopy.${s}`).sort());
    assert.ok(trust.restrictedConfigurations.includes('zerocopy.maxFileSize'), 'a repository cannot raise the size limit in Restricted Mode');
    for (const key of trust.restrictedConfigurations) assert.ok(properties[key], `${key} is a contributed setting`);
    assert.equal(manifest.capabilities.virtualWorkspaces.supported, false);
  });

  it('has what the Marketplace shows: a 128x128 PNG icon, a banner, a repository, a license', () => {
    const png = readFileSync(join(REPO_ROOT, manifest.icon));
    assert.equal(png.subarray(1, 4).toString('latin1'), 'PNG');
    assert.equal(png.readUInt32BE(16), 128, 'width');
    assert.equal(png.readUInt32BE(20), 128, 'height');
    assert.match(manifest.galleryBanner.color, /^#[0-9a-f]{6}$/i);
    assert.ok(manifest.repository.url);
    assert.equal(manifest.license, 'MIT');
    assert.match(readFileSync(join(REPO_ROOT, 'LICENSE'), 'utf8'), /^MIT License/);
    assert.match(readFileSync(join(REPO_ROOT, 'CHANGELOG.md'), 'utf8'), new RegExp(`## \\[${manifest.version.replace(/\./g, '\\.')}\\]`));
  });

  it('keeps .vscodeignore an allowlist', () => {
    const rules = readFileSync(join(REPO_ROOT, '.vscodeignore'), 'utf8')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('#'));
    assert.equal(rules[0], '**', 'everything is ignored first');
    for (const rule of rules.slice(1)) assert.ok(rule.startsWith('!'), `only exceptions follow: ${rule}`);
  });
});

describe('the client stays thin', () => {
  const clientSources = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
      e.isDirectory() ? clientSources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
    );

  it('imports nothing of the server but the protocol, and never the native runtime', () => {
    const files = [...clientSources(join(REPO_ROOT, 'client', 'src')), ...clientSources(join(REPO_ROOT, 'client', 'webview'))];
    assert.ok(files.length >= 5);
    for (const file of files) {
      const imports = [...readFileSync(file, 'utf8').matchAll(/from '([^']+)'/g)].map((m) => m[1]!);
      for (const spec of imports) {
        if (spec.includes('server/src/')) assert.match(spec, /server\/src\/protocol$/, `${file} imports ${spec}`);
        assert.notEqual(spec, 'zerocopy', `${file} must not load the native runtime`);
        assert.notEqual(spec, 'typescript', `${file} must not analyse`);
      }
    }
  });

  it('bundles no analysis and no addon loading into dist/client.js', () => {
    const bundle = readFileSync(join(REPO_ROOT, 'dist', 'client.js'), 'utf8');
    assert.doesNotMatch(bundle, /require\(["']zerocopy["']\)/);
    assert.doesNotMatch(bundle, /node-gyp-build/);
    assert.doesNotMatch(bundle, /createSourceFile/, 'the TypeScript compiler is not in the client');
    assert.ok(bundle.length < 1_500_000, `the client bundle stays small (${bundle.length} bytes)`);
  });
});
