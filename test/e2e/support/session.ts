/**
 * One person's session with the extension: a private code-server profile with the built .vsix
 * installed, a scratch copy of a folder (so edits never touch the repository), code-server, and
 * Chromium showing the workbench. `end` tears all of it down and is safe to call after a failure.
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { createProfile, installExtension, startCodeServer, type Profile, type RunningCodeServer } from './codeServer';
import { artifactsDir, REPO_ROOT } from './paths';
import { ensureFreshVsix } from './vsix';
import { Workbench } from './workbench';

/** The folder the suites open: the example server (ZC_E2E_EXAMPLES may name another project). */
export const EXAMPLES = process.env.ZC_E2E_EXAMPLES ?? join(REPO_ROOT, 'examples');

export interface Session {
  profile: Profile;
  folder: string;
  server: RunningCodeServer;
  workbench: Workbench;
  artifacts: string;
}

export interface SessionOptions {
  trusted: boolean;
  /** Extra extensions (folders or .vsix files) to install besides the product. */
  extraExtensions?: string[];
  settings?: Record<string, unknown>;
  /** Name of the scratch folder (what the Explorer shows as the workspace name). */
  folderName?: string;
  /** Files written into the scratch folder after the copy (relative path -> content), e.g. `.vscode/settings.json`. */
  extraFiles?: Record<string, string>;
}

export class SessionHandle {
  private profile: Profile | undefined;
  private folderParent: string | undefined;
  private server: RunningCodeServer | undefined;
  private workbench: Workbench | undefined;

  private logFile: string | undefined;

  async start(options: SessionOptions, suite = 'e2e'): Promise<Session> {
    const vsix = ensureFreshVsix();
    const profile = (this.profile = createProfile(options.settings));
    installExtension(profile, vsix);
    for (const extension of options.extraExtensions ?? []) installExtension(profile, extension);
    this.folderParent = mkdtempSync(join(tmpdir(), 'zc-workspace-'));
    const folder = join(this.folderParent, options.folderName ?? basename(EXAMPLES));
    cpSync(EXAMPLES, folder, { recursive: true, filter: (src) => basename(src) !== 'node_modules' });
    for (const [relative, content] of Object.entries(options.extraFiles ?? {})) {
      mkdirSync(dirname(join(folder, relative)), { recursive: true });
      writeFileSync(join(folder, relative), content);
    }
    const server = (this.server = await startCodeServer({ profile, trusted: options.trusted }));
    const artifacts = artifactsDir(suite);
    this.logFile = join(artifacts, `code-server-${basename(folder)}.log`);
    this.workbench = await Workbench.open(server.url, folder, artifacts);
    return { profile, folder, server, workbench: this.workbench, artifacts };
  }

  /** Closes the browser, kills code-server's process group, deletes the profile and the folder copy. */
  async end(): Promise<void> {
    await this.workbench?.close().catch(() => undefined);
    await this.server?.stop();
    // What code-server, the extension host and the language server said: kept with the screenshots.
    if (this.server && this.logFile) writeFileSync(this.logFile, this.server.log());
    // VS Code's own logs, among them the extension's output channel ("Zero-Copy Advisor.log").
    const logs = this.profile && join(this.profile.userDataDir, 'logs');
    if (logs && this.logFile && existsSync(logs)) cpSync(logs, this.logFile.replace(/\.log$/, '-logs'), { recursive: true });
    this.profile?.dispose();
    if (this.folderParent) rmSync(this.folderParent, { recursive: true, force: true });
    this.workbench = this.server = this.profile = this.folderParent = undefined;
  }
}
