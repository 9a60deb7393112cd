/**
 * What the server currently reports, kept per analysed file: analysing one file can yield
 * findings located in another (a flow through a local module puts the source call there), so
 * what is published for a file is the union of what every analysed file contributed to it,
 * without duplicates (two files may both see the same flow).
 */
import type { Finding } from '../engine';
import { uniqueSortedFindings } from '../report/findingOrder';

export class FindingStore {
  /** analysed file -> file the findings lie in -> findings */
  private readonly contributions = new Map<string, Map<string, Finding[]>>();
  /** file the findings lie in -> the analysed files that put them there */
  private readonly contributors = new Map<string, Set<string>>();
  /** analysed file -> why its analysis stopped short (its findings may be incomplete) */
  private readonly incompleteFiles = new Map<string, string>();

  /**
   * Replaces what analysing `analysed` found, and whether that analysis was complete (`incomplete`:
   * why not). Returns the files whose published findings may change.
   */
  set(analysed: string, findings: readonly Finding[], incomplete?: string): Set<string> {
    const affected = this.clear(analysed);
    if (incomplete !== undefined) this.incompleteFiles.set(analysed, incomplete);
    const byFile = new Map<string, Finding[]>();
    for (const finding of findings) {
      const list = byFile.get(finding.fileName);
      if (list) list.push(finding);
      else byFile.set(finding.fileName, [finding]);
    }
    if (byFile.size > 0) this.contributions.set(analysed, byFile);
    for (const file of byFile.keys()) {
      affected.add(file);
      let set = this.contributors.get(file);
      if (!set) this.contributors.set(file, (set = new Set()));
      set.add(analysed);
    }
    return affected;
  }

  /** Forgets what analysing `analysed` found. Returns the files whose published findings may change. */
  clear(analysed: string): Set<string> {
    const affected = new Set<string>([analysed]);
    this.incompleteFiles.delete(analysed);
    const previous = this.contributions.get(analysed);
    if (!previous) return affected;
    this.contributions.delete(analysed);
    for (const file of previous.keys()) {
      affected.add(file);
      const set = this.contributors.get(file);
      set?.delete(analysed);
      if (set?.size === 0) this.contributors.delete(file);
    }
    return affected;
  }

  /** The findings located in `file`, from every analysed file, deduplicated, in document order. */
  findingsIn(file: string): Finding[] {
    const contributors = this.contributors.get(file);
    if (!contributors) return [];
    const all: Finding[] = [];
    for (const analysed of contributors) all.push(...(this.contributions.get(analysed)?.get(file) ?? []));
    return uniqueSortedFindings(all);
  }

  /** Analysed files other than `file` whose findings lie in `file`. */
  contributorsTo(file: string): string[] {
    return [...(this.contributors.get(file) ?? [])].filter((analysed) => analysed !== file);
  }

  /**
   * Forgets the findings other analysed files put in `file` (their positions refer to a text
   * of `file` that just changed). Returns those files, to be analysed again.
   */
  forgetFindingsIn(file: string): string[] {
    const others = this.contributorsTo(file);
    for (const analysed of others) {
      const byFile = this.contributions.get(analysed);
      byFile?.delete(file);
      if (byFile?.size === 0) this.contributions.delete(analysed);
    }
    const remaining = this.contributors.get(file);
    if (remaining?.has(file)) this.contributors.set(file, new Set([file]));
    else this.contributors.delete(file);
    return others;
  }

  /** Every analysed file that contributed findings. */
  analysedFiles(): string[] {
    return [...this.contributions.keys()];
  }

  /** Every file that currently has findings. */
  filesWithFindings(): string[] {
    return [...this.contributors.keys()];
  }

  /** Why the last analysis of `analysed` stopped short, if it did. */
  incompleteReason(analysed: string): string | undefined {
    return this.incompleteFiles.get(analysed);
  }

  totals(): { findings: number; files: number; incomplete: number } {
    let findings = 0;
    let files = 0;
    for (const file of this.contributors.keys()) {
      const n = this.findingsIn(file).length;
      if (n > 0) files++;
      findings += n;
    }
    return { findings, files, incomplete: this.incompleteFiles.size };
  }
}
