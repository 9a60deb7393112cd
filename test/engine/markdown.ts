/**
 * Just enough Markdown for the docs and example tests: fenced code blocks with their info string,
 * and the rows of pipe tables. Hand-rolled on purpose: the files are ours, and a parser dependency
 * would be the only reason to install one.
 */

export interface FencedBlock {
  /** First word of the info string (`js`, `ts`…), '' when absent. */
  lang: string;
  /** The remaining words of the info string. */
  attributes: string[];
  code: string;
  /** 1-based line of the opening fence. */
  line: number;
}

export function fencedBlocks(markdown: string): FencedBlock[] {
  const lines = markdown.split('\n');
  const blocks: FencedBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^ {0,3}(`{3,}|~{3,})\s*(.*)$/.exec(lines[i]!);
    if (!open) continue;
    const fence = open[1]!;
    const [lang = '', ...attributes] = open[2]!.trim().split(/\s+/).filter(Boolean);
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length; j++) {
      const close = /^ {0,3}(`{3,}|~{3,})\s*$/.exec(lines[j]!);
      if (close && close[1]![0] === fence[0] && close[1]!.length >= fence.length) break;
      body.push(lines[j]!);
    }
    blocks.push({ lang, attributes, code: body.join('\n') + '\n', line: i + 1 });
    i = j;
  }
  return blocks;
}

/** The cells of every pipe-table row (header and delimiter rows included), trimmed. */
export function tableRows(markdown: string): string[][] {
  return markdown
    .split('\n')
    .filter((line) => /^\s*\|.*\|\s*$/.test(line))
    .map((line) => line.trim().slice(1, -1).split('|').map((cell) => cell.trim()));
}
