/**
 * The fix engine (`server/src/fixes`) as the server calls it: with the texts the editor has
 * (open documents first, then the disk), the nearest `package.json` (for the `zerocopy`
 * dependency a fix adds), the bundled runtime's version, and the server's `Project`, so a fix
 * reuses the parse the analysis made. A rewrite that throws is logged and leaves its finding
 * without fixes.
 *
 * The answers for the latest text of each file are kept (the lightbulb, the resolve of the chosen
 * fix, fix-all and the "no fix" notes all ask about the same findings), as long as the text, its
 * package.json and the server's Project are the same.
 */
import { readFileSync } from 'node:fs';
import type { Finding, Project } from '../engine';
import { fixesFor, type FixResult } from '../fixes';
import { findingKey } from '../report/findingOrder';
import { nearestPackageJson } from '../workspace/nearestPackageJson';

export interface FixSourceDeps {
  /** An open document's text, else undefined. */
  openText(fileName: string): string | undefined;
  project(): Project;
  zerocopyVersion: string;
  log: { error(message: string): void };
}

export interface FixSource {
  fixesFor(fileName: string, text: string, finding: Finding): FixResult;
  /** Drops what is kept for a file (closed). */
  forget(fileName: string): void;
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
  const answers = new Map<string, { text: string; packageJson: string | undefined; project: Project; results: Map<string, FixResult> }>();
  return {
    fixesFor(fileName, text, finding) {
      const packageJson = nearestPackageJson(fileName, textOf);
      const project = deps.project();
      let known = answers.get(fileName);
      if (!known || known.text !== text || known.packageJson !== packageJson?.text || known.project !== project) {
        answers.set(fileName, (known = { text, packageJson: packageJson?.text, project, results: new Map() }));
      }
      const key = findingKey(finding);
      let result = known.results.get(key);
      if (result) return result;
      try {
        result = fixesFor({ fileName, text, finding, getText: textOf, packageJson, zerocopyVersion: deps.zerocopyVersion, project });
      } catch (error) {
        // A bug in a rewrite costs that finding its fixes, never the request or the publish.
        deps.log.error(`zerocopy: computing the fixes of a finding in ${fileName} failed.\n${error instanceof Error ? error.stack : String(error)}`);
        result = { fixes: [] };
      }
      known.results.set(key, result);
      return result;
    },
    forget: (fileName) => void answers.delete(fileName),
  };
}
