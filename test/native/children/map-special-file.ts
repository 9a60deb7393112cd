// Maps a path that is not a regular file (a FIFO, a device) with mapFile or
// mapFileAsync and reports how it was refused. Run with a time limit: an open
// that waits for a FIFO's writer never returns.
import { mapFile, mapFileAsync } from 'zerocopy';

const [file, mode] = process.argv.slice(2);

async function main(): Promise<void> {
  try {
    const buffer = mode === 'async' ? await mapFileAsync(file) : mapFile(file);
    process.stdout.write(JSON.stringify({ mapped: buffer.length }));
  } catch (error) {
    const { name, code, message } = error as Error & { code?: string };
    process.stdout.write(JSON.stringify({ refused: { name, code, message } }));
  }
}

void main();
