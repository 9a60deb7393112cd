/**
 * "No quick fix, because …" at the end of a diagnostic, for findings the fix engine declines.
 * Computing fixes costs more than analysing an edit (a whole-file evaluator for the new text), so
 * it never runs in the publish that follows an edit: once an open document has rested for
 * `restMs`, the fixes of its findings at that version are computed, and the document is
 * published again if any finding gained a note. The publisher asks `noteFor`, which answers only
 * from what was computed for the version being published. The hover asks `noteNow`, which
 * computes on demand (one finding, once).
 */
import type { Finding } from '../engine';
import { findingKey } from '../report/findingOrder';

export interface NoFixNotesDeps {
  /** The open document's current version and text, if it is open. */
  document(fileName: string): { version: number; getText(): string } | undefined;
  /** The findings of `fileName` if they were computed at `version`. */
  findingsAt(fileName: string, version: number): readonly Finding[] | undefined;
  /** Why the fix engine has no fix at all for the finding, or undefined when it has one. */
  noFix(fileName: string, text: string, finding: Finding): string | undefined;
  /** Publishes the file again (its diagnostics then ask `noteFor`). */
  republish(fileName: string): void;
  restMs: number;
}

export interface NoFixNotes {
  /** The note for a finding of the version being published, if already known. */
  noteFor(fileName: string, finding: Finding): string | undefined;
  /** The note for a finding of the document's current version, computed now if need be (the hover). */
  noteNow(fileName: string, finding: Finding): string | undefined;
  /** After a publish: schedule the notes of the document's current version. */
  published(fileNames: Iterable<string>): void;
  forget(fileName: string): void;
  dispose(): void;
}

interface Known {
  version: number;
  /** findingKey -> the note ('' for a finding that has a fix). */
  notes: Map<string, string>;
  complete: boolean;
}

export function createNoFixNotes(deps: NoFixNotesDeps): NoFixNotes {
  const known = new Map<string, Known>();
  const timers = new Map<string, NodeJS.Timeout>();

  const current = (fileName: string): Known | undefined => {
    const document = deps.document(fileName);
    const k = known.get(fileName);
    return document && k?.version === document.version ? k : undefined;
  };

  function compute(fileName: string, k: Known, finding: Finding, text: string): string {
    const key = findingKey(finding);
    let note = k.notes.get(key);
    if (note === undefined) k.notes.set(key, (note = deps.noFix(fileName, text, finding) ?? ''));
    return note;
  }

  function rested(fileName: string): void {
    timers.delete(fileName);
    const document = deps.document(fileName);
    const findings = document && deps.findingsAt(fileName, document.version);
    if (!document || !findings) return;
    let k = known.get(fileName);
    if (k?.version !== document.version) known.set(fileName, (k = { version: document.version, notes: new Map(), complete: false }));
    const text = document.getText();
    let anyNote = false;
    for (const finding of findings) if (compute(fileName, k, finding, text)) anyNote = true;
    k.complete = true;
    // The publish before this one had no notes (they were not known yet): publish them, once.
    if (anyNote) deps.republish(fileName);
  }

  return {
    noteFor(fileName, finding) {
      return current(fileName)?.notes.get(findingKey(finding)) || undefined;
    },
    noteNow(fileName, finding) {
      const document = deps.document(fileName);
      if (!document || !deps.findingsAt(fileName, document.version)) return undefined;
      let k = current(fileName);
      if (!k) known.set(fileName, (k = { version: document.version, notes: new Map(), complete: false }));
      return compute(fileName, k, finding, document.getText()) || undefined;
    },
    published(fileNames) {
      for (const fileName of fileNames) {
        const document = deps.document(fileName);
        if (!document || current(fileName)?.complete) continue;
        clearTimeout(timers.get(fileName));
        timers.set(fileName, setTimeout(() => rested(fileName), deps.restMs));
      }
    },
    forget(fileName) {
      clearTimeout(timers.get(fileName));
      timers.delete(fileName);
      known.delete(fileName);
    },
    dispose() {
      for (const timer of timers.values()) clearTimeout(timer);
      timers.clear();
      known.clear();
    },
  };
}
