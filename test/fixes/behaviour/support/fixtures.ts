/**
 * What the servers serve, made once per run in a temp folder: a file larger than every stream's
 * chunk size, a page, an empty file, a PNG, a folder; and a self-signed certificate for the TLS
 * servers. Paths are handed to the servers through the environment (ROOT, TLS_KEY, TLS_CERT).
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeCertificate } from '../../../native/tls-helpers';

/** 300,000 bytes: several 64 KiB stream chunks, and more than one 256 KiB runtime chunk. */
export const BIG_FILE_BYTES = 300_000;

export interface Fixtures {
  /** The folder the servers serve (ROOT). */
  root: string;
  /** Where the server copies go. */
  work: string;
  ca: Buffer;
  env: Record<string, string>;
  remove(): void;
}

export function makeFixtures(): Fixtures {
  const base = mkdtempSync(join(tmpdir(), 'zc-behaviour-'));
  const root = join(base, 'served');
  const work = join(base, 'servers');
  const tls = join(base, 'tls');
  for (const dir of [root, work, tls, join(root, 'docs')]) mkdirSync(dir, { recursive: true });
  writeFileSync(join(root, 'big.bin'), randomBytes(BIG_FILE_BYTES));
  writeFileSync(join(root, 'index.html'), '<!doctype html>\n<title>Files</title>\n<h1>Files</h1>\n');
  writeFileSync(join(root, 'empty.txt'), '');
  writeFileSync(join(root, 'image.png'), Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), randomBytes(2_000)]));
  writeFileSync(join(root, 'docs', 'readme.txt'), 'read me\n');
  const { cert } = makeCertificate(tls);
  return {
    root,
    work,
    ca: cert,
    env: { ROOT: root, TLS_KEY: join(tls, 'key.pem'), TLS_CERT: join(tls, 'cert.pem') },
    remove: () => rmSync(base, { recursive: true, force: true }),
  };
}
