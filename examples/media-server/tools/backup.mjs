// Nightly backup of the library's metadata: the catalogue and the covers.
import { copyFile, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

const LIBRARY = process.env.LIBRARY_DIR ?? './library';
const BACKUPS = process.env.BACKUP_DIR ?? './backups';

async function backup() {
  const target = join(BACKUPS, new Date().toISOString().slice(0, 10));
  await mkdir(join(target, 'covers'), { recursive: true });

  // The catalogue goes through memory on its way to the other file: file-to-file.
  const catalog = await readFile(join(LIBRARY, 'catalog.json'));
  await writeFile(join(target, 'catalog.json'), catalog);

  // The covers already use copyFile: not a finding.
  for (const name of await readdir(join(LIBRARY, 'covers'))) {
    await copyFile(join(LIBRARY, 'covers', name), join(target, 'covers', name));
  }
}

backup().catch((err) => {
  console.error('backup failed:', err);
  process.exitCode = 1;
});
