/**
 * What the slice changes in the user's text, per file: deletions (dropped statements, conditions
 * taken), replacements (the file expression bound to the generated file) and insertions. The
 * harness copies declarations with the edits inside them applied; names in removed code are not
 * needed.
 */
export interface Edit {
  start: number;
  end: number;
  text: string;
}

export class SliceEdits {
  private readonly edits = new Map<string, Edit[]>();
  private readonly removed = new Map<string, Array<{ start: number; end: number }>>();

  /** Replaces [start, end) of `fileName`; the code there is no longer run. */
  replace(fileName: string, start: number, end: number, text: string): void {
    this.add(fileName, { start, end, text });
    if (end > start) this.list(this.removed, fileName).push({ start, end });
  }

  insert(fileName: string, at: number, text: string): void {
    this.add(fileName, { start: at, end: at, text });
  }

  isRemoved(fileName: string, start: number, end: number): boolean {
    return (this.removed.get(fileName) ?? []).some((r) => r.start <= start && end <= r.end);
  }

  /** The text of [start, end) of `text` with the edits inside it applied. */
  apply(fileName: string, text: string, start: number, end: number): string {
    const inside = (this.edits.get(fileName) ?? []).filter((e) => e.start >= start && e.end <= end).sort((a, b) => a.start - b.start || a.end - b.end);
    let out = '';
    let at = start;
    for (const e of inside) {
      if (e.start < at) continue; // inside a range already replaced (a dropped statement holding a binding)
      out += text.slice(at, e.start) + e.text;
      at = e.end;
    }
    return out + text.slice(at, end);
  }

  private add(fileName: string, edit: Edit): void {
    const list = this.list(this.edits, fileName);
    for (const other of list) {
      const overlaps = edit.start < other.end && other.start < edit.end;
      const nested = (other.start <= edit.start && edit.end <= other.end) || (edit.start <= other.start && other.end <= edit.end);
      if (overlaps && !nested) throw new Error(`overlapping slice edits in ${fileName} at ${edit.start}-${edit.end} and ${other.start}-${other.end}`);
    }
    // A replacement that swallows earlier edits wins over them; one inside a replaced range is moot.
    for (let i = list.length - 1; i >= 0; i--) {
      const other = list[i]!;
      if (edit.start <= other.start && other.end <= edit.end && edit.end > edit.start) list.splice(i, 1);
    }
    if (list.some((o) => o.start <= edit.start && edit.end <= o.end && o.end > o.start && !(o.start === edit.start && o.end === edit.end))) return;
    list.push(edit);
  }

  private list<T>(map: Map<string, T[]>, fileName: string): T[] {
    let list = map.get(fileName);
    if (!list) map.set(fileName, (list = []));
    return list;
  }
}
