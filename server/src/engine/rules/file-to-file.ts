import type { Rule } from './rule';
import { calleeText } from './rule';

/** A file's bytes written unchanged to another file. */
export const fileToFile: Rule = {
  meta: {
    id: 'file-to-file',
    title: "A file's bytes are written unchanged to another file.",
    recommendations: ['copyFile'],
  },
  check(v) {
    if (!v.file) return undefined;
    return {
      recommendation: 'copyFile',
      flow: v.file.flow,
      message: `${calleeText(v.source)} reads a file only to write the same bytes to another file. \`fs.copyFile()\` copies in the kernel (copy_file_range, or a reflink on file systems that share blocks).`,
    };
  },
};
