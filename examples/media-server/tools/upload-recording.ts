// Uploads a recording to the ingest service in 1 MiB chunks over one PUT (run with `tsx`).
import http from 'node:http';
import { open } from 'node:fs/promises';
import { once } from 'node:events';

export async function uploadRecording(file: string, url: string): Promise<number> {
  const fh = await open(file, 'r');
  try {
    const { size } = await fh.stat();
    const req = http.request(url, { method: 'PUT', headers: { 'Content-Length': size, 'Content-Type': 'audio/flac' } });
    const response = once(req, 'response');
    let position = 0;
    while (position < size) {
      const chunk = Buffer.allocUnsafe(Math.min(1 << 20, size - position));
      // One chunk at a time through JavaScript to the socket: read-loop-to-socket.
      const { bytesRead } = await fh.read(chunk, 0, chunk.length, position);
      if (bytesRead === 0) break;
      position += bytesRead;
      if (!req.write(chunk.subarray(0, bytesRead))) await once(req, 'drain');
    }
    req.end();
    const [res] = (await response) as [http.IncomingMessage];
    return res.statusCode ?? 0;
  } finally {
    await fh.close();
  }
}

if (process.argv[2] && process.argv[3]) {
  uploadRecording(process.argv[2], process.argv[3]).then((status) => console.log('upload finished:', status));
}
