import type { Rule } from './rule';
import { calleeText } from './rule';

/** A whole file read, its bytes read by the code, then the original bytes sent unchanged. */
export const inspectThenSend: Rule = {
  meta: {
    id: 'inspect-then-send',
    title: 'A whole file is read, its bytes are inspected (hashed, sniffed, searched), and the original bytes are sent unchanged.',
    recommendations: ['mmap'],
  },
  check(v) {
    if (v.source.form !== 'whole' || !v.network || !v.inspected) return undefined;
    return {
      recommendation: 'mmap',
      flow: v.network.flow,
      message: `${calleeText(v.source)} copies the whole file into the JS heap; the code reads the bytes, then sends them unchanged. \`mapFile()\` (mmap) lets it read them without the copy: 3 copies per chunk instead of 4.`,
    };
  },
};
