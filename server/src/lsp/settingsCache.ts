/**
 * Settings per workspace folder, pulled from the client once per folder (`workspace/configuration`
 * with the folder as scope) and kept until the client says they changed. A file outside every
 * folder uses the client's global settings.
 */
import { sep } from 'node:path';
import type { Settings } from '../protocol';
import { resolveSettings } from '../workspace/settings';

/** Asks the client for the raw `zerocopy` section for a folder (undefined: no folder). */
export type SettingsFetcher = (folder: string | undefined) => Promise<unknown>;

const GLOBAL = '';

export class SettingsCache {
  private readonly pending = new Map<string, Promise<Settings>>();
  private readonly resolved = new Map<string, Settings>();
  private generation = 0;

  constructor(
    private readonly fetch: SettingsFetcher,
    private readonly folders: () => readonly string[],
    /** Whether the workspace is trusted (settings.ts limits some settings when not); `clear()` after it changes. */
    private readonly trusted: () => boolean = () => true,
  ) {}

  /** The innermost workspace folder holding `fileName`. */
  folderOf(fileName: string): string | undefined {
    let best: string | undefined;
    for (const folder of this.folders()) {
      const prefix = folder.endsWith(sep) ? folder : folder + sep;
      if ((fileName === folder || fileName.startsWith(prefix)) && (best === undefined || folder.length > best.length)) best = folder;
    }
    return best;
  }

  get(fileName: string): Promise<Settings> {
    return this.forFolder(this.folderOf(fileName));
  }

  forFolder(folder: string | undefined): Promise<Settings> {
    const key = folder ?? GLOBAL;
    let settings = this.pending.get(key);
    if (!settings) {
      const generation = this.generation;
      settings = this.fetch(folder).then(
        (raw) => resolveSettings(raw, { trusted: this.trusted() }),
        () => resolveSettings(undefined, { trusted: this.trusted() }), // a client that cannot answer gets the defaults
      );
      settings.then((s) => {
        if (generation === this.generation) this.resolved.set(key, s);
      });
      this.pending.set(key, settings);
    }
    return settings;
  }

  /** The settings last fetched for `fileName`'s folder, or the defaults, without waiting. */
  peek(fileName: string): Settings {
    return this.resolved.get(this.folderOf(fileName) ?? GLOBAL) ?? resolveSettings(undefined, { trusted: this.trusted() });
  }

  clear(): void {
    this.generation++;
    this.pending.clear();
    this.resolved.clear();
  }
}
