/**
 * The project sets (2, 3, 4…): one format (projects.json, projects-dataset.json), run and listed the same way, each
 * in its own folder of test/eval. A new set is one more row here; the runner, the lister and projects-set.test.ts
 * take it from this table.
 */
import { join } from 'node:path';

export interface ProjectSetInfo {
  /** The number `--set` takes. */
  id: number;
  /** Folder of projects.json and projects-dataset.json, relative to test/eval. */
  folder: string;
  /** Minimum size the set promises (checked by projects-set.test.ts). */
  minProjects: number;
  minApplications: number;
}

export const PROJECT_SETS: readonly ProjectSetInfo[] = [
  { id: 2, folder: '.', minProjects: 40, minApplications: 20 },
  { id: 3, folder: 'set3', minProjects: 20, minApplications: 10 },
  { id: 4, folder: 'set4', minProjects: 40, minApplications: 20 },
];

/** The set numbers `--set` accepts: 1 (the package set) and every project set. */
export const SET_IDS: readonly number[] = [1, ...PROJECT_SETS.map((s) => s.id)];

export function projectSetInfo(id: number): ProjectSetInfo {
  const info = PROJECT_SETS.find((s) => s.id === id);
  if (!info) throw new Error(`no project set ${id}: the project sets are ${PROJECT_SETS.map((s) => s.id).join(', ')}`);
  return info;
}

export function projectSetDir(dataDir: string, id: number): string {
  return join(dataDir, projectSetInfo(id).folder);
}
