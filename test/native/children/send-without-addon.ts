// With the addon unavailable (ZEROCOPY_BINDING set by the parent), sendFile
// must still deliver every byte by streaming, and mapFile and mapFileAsync must return copies.
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as net from 'node:net';
import { available, mapFile, mapFileAsync, sendFile } from 'zerocopy';

async function main(): Promise<void> {
  const file = process.argv[2];
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const accepted = new Promise<net.Socket>((resolve) => server.once('connection', resolve));
  const client = net.connect((server.address() as net.AddressInfo).port, '127.0.0.1');
  const sender = await accepted;
  const hash = crypto.createHash('sha256');
  let bytes = 0;
  client.on('data', (d: Buffer) => {
    bytes += d.length;
    hash.update(d);
  });
  const ended = new Promise((resolve) => client.once('end', resolve));
  const result = await sendFile(sender, file);
  sender.end();
  await ended;
  server.close();
  client.destroy();
  const mapped = mapFile(file);
  mapped[0] ^= 0xff;
  const onDisk = fs.readFileSync(file);
  const copied = await mapFileAsync(file);
  process.stdout.write(
    JSON.stringify({
      available,
      result,
      received: { bytes, sha256: hash.digest('hex') },
      mapped: { length: mapped.length, fileUnchanged: onDisk[0] !== mapped[0], restEqual: mapped.subarray(1).equals(onDisk.subarray(1)) },
      mappedAsync: { equal: copied.equals(onDisk) },
    }),
  );
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
