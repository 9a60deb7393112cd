/**
 * Whether the real CLI can be measured yet: `check` (in the bench's copy of dist/) must answer with JSON,
 * and the engine must be the real one (analyze.ts free of the word TEMPORARY). Until then the
 * bench still measures the floor and the peer, and says why the CLI was left out.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CACHE_DIR, CLI_JS, REPO_ROOT } from '../paths';
import { readCheckJson } from './trials';

export interface CliAvailability {
  usable: boolean;
  reason?: string;
  /** The engine is still the placeholder that returns no findings. */
  enginePlaceholder: boolean;
}

export function checkCliAvailability(): CliAvailability {
  const analyzeTs = join(REPO_ROOT, 'server', 'src', 'engine', 'analyze.ts');
  const enginePlaceholder = existsSync(analyzeTs) && readFileSync(analyzeTs, 'utf8').includes('TEMPORARY');
  if (!existsSync(CLI_JS)) return { usable: false, reason: `${CLI_JS} does not exist (npm run build)`, enginePlaceholder };
  const probeDir = join(CACHE_DIR, 'cli-probe');
  mkdirSync(probeDir, { recursive: true });
  writeFileSync(
    join(probeDir, 'server.js'),
    "const fs = require('fs');\nrequire('http').createServer((req, res) => res.end(fs.readFileSync(__filename))).listen(0);\n",
  );
  const r = spawnSync(process.execPath, [CLI_JS, 'check', probeDir, '--format', 'json'], { encoding: 'utf8', timeout: 60_000 });
  if (r.error) return { usable: false, reason: `check failed to run: ${r.error.message}`, enginePlaceholder };
  if (r.status !== 0 && r.status !== 1) {
    return { usable: false, reason: `check exited ${r.status ?? r.signal}: ${(r.stderr || r.stdout).trim().slice(0, 300)}`, enginePlaceholder };
  }
  try {
    readCheckJson(r.stdout);
  } catch {
    return { usable: false, reason: `check --format json did not print JSON: ${r.stdout.trim().slice(0, 200)}`, enginePlaceholder };
  }
  return { usable: true, enginePlaceholder };
}
