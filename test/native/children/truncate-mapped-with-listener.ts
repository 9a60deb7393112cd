// Like truncate-mapped, with user code's own process.on('SIGBUS') listener
// installed before the mapping, after it, or installed and removed again.
// Without the guard on top, reading past the new end faults for ever (libuv's
// handler returns and the access repeats) or kills the process. Run with a
// time limit. Then a SIGBUS sent with kill(2) must still reach the listener.
import * as fs from 'node:fs';
import { mapFile, mapFileAsync } from 'zerocopy';

const [file, keepText, when, how] = process.argv.slice(2);
const keep = Number(keepText);
let heard = 0;
const listener = (): void => void heard++;

function allZeros(buffer: Buffer, from: number): boolean {
  for (let i = from; i < buffer.length; i++) if (buffer[i] !== 0) return false;
  return true;
}

async function main(): Promise<void> {
  if (when === 'before') process.on('SIGBUS', listener);
  const mapped = how === 'async' ? await mapFileAsync(file, { populate: false }) : mapFile(file);
  if (when === 'after' || when === 'removed') process.on('SIGBUS', listener);
  if (when === 'removed') process.removeListener('SIGBUS', listener);
  fs.truncateSync(file, keep);
  const zeros = allZeros(mapped, keep);
  const report: Record<string, unknown> = { length: mapped.length, zeros, heardFault: heard };
  if (when !== 'removed') {
    // An artificial SIGBUS is not a fault in a mapping: it goes on to the listener.
    process.kill(process.pid, 'SIGBUS');
    await new Promise<void>((resolve) => {
      const poll = setInterval(() => {
        if (heard === 0) return;
        clearInterval(poll);
        resolve();
      }, 1);
    });
    report.heardKill = heard;
  }
  process.stdout.write(JSON.stringify(report));
}

void main();
