// Maps a file, touches it, truncates it underneath, then reads and writes the
// whole Buffer. Without the SIGBUS guard this process dies with SIGBUS.
import * as fs from 'node:fs';
import { available, mapFile } from 'zerocopy';

const [file, keepBytes, populate] = [process.argv[2], Number(process.argv[3]), process.argv[4] === 'populate'];
const original = fs.readFileSync(file);
const mapped = mapFile(file, { populate });
let checksum = 0;
for (let i = 0; i < mapped.length; i += 4096) checksum ^= mapped[i]; // fault every page in
fs.truncateSync(file, keepBytes);
const intact = mapped.subarray(0, keepBytes).equals(original.subarray(0, keepBytes));
let zeros = true;
for (let i = keepBytes; i < mapped.length; i++) {
  if (mapped[i] !== 0) {
    zeros = false;
    break;
  }
}
mapped.fill(7, keepBytes); // writes past the end land in private pages
const written = mapped[mapped.length - 1] === 7;
const copied = Buffer.from(mapped); // a bulk copy touches every page again
process.stdout.write(
  JSON.stringify({
    length: mapped.length,
    intact,
    zeros,
    written,
    copiedLength: copied.length,
    fileSize: fs.statSync(file).size,
    recoveredPages: (require('zerocopy/dist/native') as typeof import('zerocopy/dist/native')).native.recoveredPages?.(),
    sigbusGuard: available.sigbusGuard,
    checksum,
  }),
);
