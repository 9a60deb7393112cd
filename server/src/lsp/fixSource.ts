/**
 * The fix engine (`server/src/fixes`) as the server calls it: with the texts the editor has
 * (open documents first, then the disk), the nearest `package.json` (for the `zerocopy`
 * dependency a fix adds), the bundled runtime's version, and the server's `Project`, so a fix
 * reuses the parse the analysis made. A rewrite that throws is logged and leaves its finding
 * without fixes.
 */
import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import type { Finding, Project } from '../engine';
import { fixesFor, type FixResult } from '../fixes';

export interface FixSourceDeps {
  /** An open document's text, else undefined. */
  openText(fileName: string): string | undefined;
  project(): Project;
  zerocopyVersion: string;
  log: { error(message: string): void };
}

export interface FixSource {
  fixesFor(fileName: string, text: string, finding: Finding): FixResult;
}

export function createFixSource(deps: FixSourceDeps): FixSource {
  const textOf = (fileName: string): string | undefined => {
    const open = deps.openText(fileName);
    if (open !== undefined) return open;
    try {
      return readFileSync(fileName, 'utf8');
    } catch {
      return undefined;
    }
  };
  return {
    fixesFor(fileName, text, finding) {
      try {
        return fixesFor({
          fileName,
          text,
          finding,
          getText: textOf,
          packageJson: nearestPackageJson(fileName, textOf),
          zerocopyVersion: deps.zerocopyVersion,
          project: deps.project(),
        });
      } catch (error) {
        // A bug in a rewrite costs that finding its fixes, never the request or the publish.
        deps.log.error(`zerocopy: computing the fixes of a finding in ${fileName} failed.\n${error instanceof Error ? error.stack : String(error)}`);
        return { fixes: [] };
      }
    },
  };
}

/** The `package.json` of the folder holding `fileName` or the nearest folder above it (none for an unsaved buffer). */
export function nearestPackageJson(fileName: string, textOf: (fileName: string) => string | undefined): { fileName: string; text: string } | undefined {
  if (!isAbsolute(fileName)) return undefined;
  for (let dir = dirname(fileName); ; dir = dirname(dir)) {
    const candidate = join(dir, 'package.json');
    const text = textOf(candidate);
    if (text !== undefined) return { fileName: candidate, text };
    if (dirname(dir) === dir) return undefined;
  }
}
