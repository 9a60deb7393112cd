/**
 * Running a child that file permissions apply to. Tests run as root here, and root reads a file
 * whatever its mode (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH). `setpriv` drops those two from the
 * bounding set, so the child stays root (it can still run node and read the build) but `chmod 000`
 * stops it like anyone else. Whether that works is probed, never assumed.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const DROP = ['--bounding-set=-dac_override,-dac_read_search'];

/** The command prefix that runs a child bound by file permissions, or why there is none. */
export function permissionBoundPrefix(): { prefix: string[] } | { skip: string } {
  if (process.getuid?.() !== 0) return { prefix: [] };
  const dir = mkdtempSync(join(tmpdir(), 'zc-perm-'));
  try {
    const probe = join(dir, 'probe');
    writeFileSync(probe, 'secret');
    chmodSync(probe, 0o000);
    const r = spawnSync('setpriv', [...DROP, 'cat', probe], { encoding: 'utf8' });
    if (r.error) return { skip: `running as root and setpriv cannot run (${r.error.message}): chmod 000 cannot stop root's reads` };
    if (r.status === 0) return { skip: 'running as root and setpriv could not drop CAP_DAC_OVERRIDE: chmod 000 cannot stop the reads' };
    return { prefix: ['setpriv', ...DROP] };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
