// Starts sending a large file to a receiver that is not reading yet, truncates
// the file, then lets the receiver read: sendFile must reject with a short-read
// error (never hang), and the process must go on. Prints the outcome as JSON.
import * as fs from 'node:fs';
import { available, sendFile } from 'zerocopy';
import { stalledSocketPair } from '../helpers';

async function main(): Promise<void> {
  const [file, keepBytes] = [process.argv[2], Number(process.argv[3])];
  const { sender, receiver } = await stalledSocketPair();
  let received = 0;
  const ended = new Promise((resolve) => receiver.once('close', resolve));
  receiver.on('data', (d: Buffer) => (received += d.length));
  receiver.on('error', () => {});
  const outcome = sendFile(sender, file).then(
    (result) => ({ resolved: result }),
    (error: Error & { code?: string; bytes?: number; expected?: number }) => ({ rejected: { code: error.code, bytes: error.bytes, expected: error.expected, message: error.message } }),
  );
  // Truncate once the transfer is under way: with sendfile, the file is open and
  // the socket's descriptor has been duplicated to wait for writability.
  const senderLink = fs.readlinkSync(`/proc/self/fd/${(sender as unknown as { _handle: { fd: number } })._handle.fd}`);
  const linksTo = (target: string): number => fs.readdirSync('/proc/self/fd').filter((fd) => {
    try {
      return fs.readlinkSync(`/proc/self/fd/${fd}`) === target;
    } catch {
      return false; // closed meanwhile
    }
  }).length;
  // Streaming: under way once the first chunk has been written.
  const underWay = (): boolean => (available.sendfile ? linksTo(file) > 0 && linksTo(senderLink) > 1 : sender.bytesWritten > 0);
  while (!underWay()) await new Promise((resolve) => setTimeout(resolve, 1));
  fs.truncateSync(file, keepBytes);
  receiver.resume();
  const result = await outcome;
  sender.end(); // only needed if sendFile wrongly resolved
  await ended;
  process.stdout.write(JSON.stringify({ ...result, received, sendfile: available.sendfile, senderDestroyed: sender.destroyed }));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
