// The built package in another runtime (90.windows: Windows Node under Wine; 95.node-majors:
// Linux Node 22 and 24): reads the spec file argv[2] (paths as that runtime names them), uses
// sendFile, mapFile, mapFileAsync and an http.Server, and prints one JSON report of what really happened; the
// test compares it with the files it wrote.
import * as diagnostics from 'node:diagnostics_channel';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';
import { MAP_FILE_CHANNEL, available, mapFile, mapFileAsync, sendFile, type MapFileMessage, type SendFileOptions } from 'zerocopy';
import { receiveAll, sha256, socketPair } from '../helpers';
import { request, startFileServer } from '../http-helpers';

export interface ExerciseSpec {
  sends: { file: string; options?: SendFileOptions }[];
  map: string;
  /** An empty file, for mapFile and mapFileAsync. */
  empty: string;
  served: Record<string, string>;
  missing: string;
}

async function sendOverLoopback(file: string, options?: SendFileOptions) {
  const pair = await socketPair();
  try {
    const received = receiveAll(pair.receiver, false);
    const result = await sendFile(pair.sender, file, options);
    pair.sender.end();
    const { bytes, sha256 } = await received;
    return { result, received: { bytes, sha256 } };
  } finally {
    pair.close();
  }
}

/** sendFile of a missing file on a socket: the rejection, and what the peer got afterwards. */
async function sendMissing(file: string) {
  const pair = await socketPair();
  try {
    const received = receiveAll(pair.receiver);
    const error = await sendFile(pair.sender, file).then(
      () => undefined,
      (e: NodeJS.ErrnoException) => e,
    );
    const bytesWrittenBefore = pair.sender.bytesWritten;
    pair.sender.end('after');
    return { code: error?.code, bytesWrittenBefore, received: (await received).content?.toString('latin1') };
  } finally {
    pair.close();
  }
}

async function serve(files: Record<string, string>, paths: string[]) {
  const server = await startFileServer(files);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  try {
    const replies = [];
    for (const p of paths) {
      const reply = await request(agent, server.port, p);
      replies.push({ status: reply.status, contentLength: reply.headers['content-length'], bodySha256: sha256(reply.body), reusedSocket: reply.reusedSocket });
    }
    return {
      replies,
      results: server.results.map((r) => (r instanceof Error ? { error: (r as NodeJS.ErrnoException).code } : r)),
      connections: server.connections,
    };
  } finally {
    agent.destroy();
    await server.close();
  }
}

async function exercise(spec: ExerciseSpec) {
  const sends = [];
  for (const { file, options } of spec.sends) sends.push(await sendOverLoopback(file, options));
  // How each mapping was made, as the zerocopy:mapFile channel tells it.
  const mapMethods: (string | undefined)[] = [];
  diagnostics.subscribe(MAP_FILE_CHANNEL, (message) => void mapMethods.push((message as MapFileMessage).method));
  const mapped = mapFile(spec.map);
  const mappedSha256 = sha256(mapped);
  const mappedAsync = await mapFileAsync(spec.map);
  const empty = { sync: mapFile(spec.empty).length, async: (await mapFileAsync(spec.empty)).length };
  const missingAsync = await mapFileAsync(spec.missing).then(
    () => undefined,
    (e: NodeJS.ErrnoException) => e.code,
  );
  // On Linux a real mapping shows in /proc/self/maps (Wine's /proc/self is its wineserver's).
  const inMaps = process.platform === 'linux' ? fs.readFileSync('/proc/self/maps', 'latin1').includes(path.basename(spec.map)) : undefined;
  mapped[0] ^= 0xff;
  return {
    platform: process.platform,
    version: process.version,
    available,
    sends,
    map: { isBuffer: Buffer.isBuffer(mapped), length: mapped.length, sha256: mappedSha256, inMaps, fileSha256AfterWrite: sha256(fs.readFileSync(spec.map)) },
    mapAsync: { length: mappedAsync.length, sha256: sha256(mappedAsync), empty, missing: missingAsync, methods: mapMethods },
    missing: await sendMissing(spec.missing),
    http: await serve(spec.served, [...Object.keys(spec.served).map((name) => `/${name}`), '/missing']),
  };
}

export type ExerciseReport = Awaited<ReturnType<typeof exercise>>;

async function main(): Promise<void> {
  const spec = JSON.parse(fs.readFileSync(process.argv[2], 'utf8')) as ExerciseSpec;
  fs.writeSync(1, JSON.stringify(await exercise(spec)));
}

main().catch((error) => {
  fs.writeSync(2, String((error as Error).stack));
  process.exit(1);
});
