/** Small project folders made in a temp dir for a test, removed afterwards. */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export interface TempProject {
  root: string;
  path(relative: string): string;
  write(relative: string, content: string | Buffer): string;
  remove(): void;
}

export function tempProject(files: Record<string, string | Buffer> = {}): TempProject {
  const root = mkdtempSync(join(tmpdir(), 'zc-test-'));
  const project: TempProject = {
    root,
    path: (relative) => join(root, relative),
    write(relative, content) {
      const path = join(root, relative);
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, content);
      return path;
    },
    remove: () => rmSync(root, { recursive: true, force: true }),
  };
  for (const [relative, content] of Object.entries(files)) project.write(relative, content);
  return project;
}
