/**
 * What the servers serve, made once per run in a temp folder: a file larger than every stream's
 * chunk size, a page, an empty file, a PNG, a folder, a file no one but root may read; and a
 * self-signed certificate for the TLS servers. Paths are handed to the servers through the
 * environment (ROOT, TLS_KEY, TLS_CERT). The folders are open to every user, so that the servers
 * can also run as an unprivileged one (`unprivileged`), for whom the unreadable file is EACCES.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { makeCertificate } from '../../../native/tls-helpers';

/** 300,000 bytes: several 64 KiB stream chunks, and more than one 256 KiB runtime chunk. */
export const BIG_FILE_BYTES = 300_000;

/** A file that exists with no permission for anyone (mode 000): only root reads it. */
export const UNREADABLE_FILE = 'secret.txt';
export const UNREADABLE_TEXT = 'not for you\n';

/** The user the servers run as a second time, where the unreadable file is EACCES; or why there is none. */
export type Unprivileged = { uid: number; gid: number; name: string } | { skip: string };

export interface Fixtures {
  /** The folder the servers serve (ROOT). */
  root: string;
  /** Where the server copies go. */
  work: string;
  ca: Buffer;
  env: Record<string, string>;
  unprivileged: Unprivileged;
  remove(): void;
}

export function makeFixtures(): Fixtures {
  let unprivileged = unprivilegedUser();
  // The unprivileged user must be able to walk down to the fixtures: a TMPDIR made by `mktemp -d`
  // (0700, as CI's is) is closed to it, so the fixtures go to the first temp folder open to others.
  const parent = 'skip' in unprivileged ? tmpdir() : [tmpdir(), '/tmp', '/var/tmp', '/dev/shm'].find(openToOthers);
  if (parent === undefined) unprivileged = { skip: `no temp folder (${tmpdir()}, /tmp, /var/tmp, /dev/shm) lets another user reach files in it` };
  const base = mkdtempSync(join(parent ?? tmpdir(), 'zc-behaviour-'));
  const root = join(base, 'served');
  const work = join(base, 'servers');
  const tls = join(base, 'tls');
  for (const dir of [root, work, tls, join(root, 'docs')]) mkdirSync(dir, { recursive: true });
  writeFileSync(join(root, 'big.bin'), randomBytes(BIG_FILE_BYTES));
  writeFileSync(join(root, 'index.html'), '<!doctype html>\n<title>Files</title>\n<h1>Files</h1>\n');
  writeFileSync(join(root, 'empty.txt'), '');
  writeFileSync(join(root, 'image.png'), Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), randomBytes(2_000)]));
  writeFileSync(join(root, 'docs', 'readme.txt'), 'read me\n');
  writeFileSync(join(root, UNREADABLE_FILE), UNREADABLE_TEXT);
  chmodSync(join(root, UNREADABLE_FILE), 0o000);
  // mkdtemp makes the folder 0700: the unprivileged user must reach what is served and the copies.
  chmodSync(base, 0o755);
  const { cert } = makeCertificate(tls);
  // A throwaway key, readable by the unprivileged user the servers also run as.
  chmodSync(join(tls, 'key.pem'), 0o644);
  return {
    root,
    work,
    ca: cert,
    env: { ROOT: root, TLS_KEY: join(tls, 'key.pem'), TLS_CERT: join(tls, 'cert.pem') },
    unprivileged,
    remove: () => rmSync(base, { recursive: true, force: true }),
  };
}

/** Whether a user other than the owner may reach files below `dir`: every folder on the way lets others search it. */
function openToOthers(dir: string): boolean {
  try {
    for (let at = resolve(dir); ; at = dirname(at)) {
      if ((statSync(at).mode & 0o001) === 0) return false;
      if (dirname(at) === at) return true;
    }
  } catch {
    return false;
  }
}

/**
 * `nobody`, when this process may switch to it (root). Not root: the servers already run
 * unprivileged (the unreadable file is EACCES in every run), and cannot switch users.
 */
function unprivilegedUser(): Unprivileged {
  if (typeof process.getuid !== 'function') return { skip: 'this platform has no uids' };
  if (process.getuid() !== 0) return { skip: `the tests run as uid ${process.getuid()}, not root: the servers cannot change user, and every run already meets the unreadable file as EACCES` };
  try {
    const id = (flag: string) => Number(execFileSync('id', [flag, 'nobody'], { encoding: 'utf8' }).trim());
    return { uid: id('-u'), gid: id('-g'), name: 'nobody' };
  } catch (error) {
    return { skip: `there is no user \`nobody\` to run the servers as (${(error as Error).message.split('\n')[0]})` };
  }
}
