/** A hand-built check report: two findings (one crossing files), one skipped file. */
import type { CheckReport } from '../../../server/src/cli/check';
import { Project } from '../../../server/src/engine/index';
import { finding, range } from '../../lsp/support/findings';

export function sampleReport(cwd = '/work/proj'): CheckReport {
  return {
    cwd,
    files: [`${cwd}/src/server.js`, `${cwd}/src/helper.js`, `${cwd}/src/big.js`],
    findings: [
      finding({ fileName: `${cwd}/src/helper.js`, at: range(2, 9, 24), sinkFile: `${cwd}/src/server.js`, sinkAt: range(7, 4, 11) }),
      finding({
        fileName: `${cwd}/src/server.js`,
        rule: 'stream-to-socket',
        at: range(11, 2, 21),
        sinkAt: range(11, 40, 43),
        holds: 'chunk',
        message: '`fs.createReadStream` streams the file to the socket unchanged.',
      }),
    ],
    skipped: [{ fileName: `${cwd}/src/big.js`, reason: 'too large (3000000 bytes; the limit is 2000000)' }],
    errors: [],
    project: new Project({ getText: () => undefined }),
    textOf: () => undefined,
  };
}
