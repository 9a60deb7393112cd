// Loads zerocopy from the directory given as argv[2] and prints what it reports.
import * as path from 'node:path';

const dir = process.argv[2] ?? path.dirname(require.resolve('zerocopy/package.json'));
const zerocopy = require(dir) as typeof import('zerocopy');
process.stdout.write(JSON.stringify(zerocopy.available));
