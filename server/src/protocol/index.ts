/**
 * Everything the client and the server must agree on, typed once: the settings, the custom
 * requests and notifications, the command ids. The client may import this folder and nothing
 * else of `server/` (it only uses types and constants; nothing here loads the engine).
 */
import { RULE_IDS, type Recommendation, type RuleId, type SinkKind, type Transport } from '../engine/types';
// Re-exported so the client can list the rules without reaching into the engine.
export { RULE_IDS, type RuleId };

export const SETTINGS_SECTION = 'zerocopy';

export type RuleSeverity = 'error' | 'warning' | 'information' | 'hint' | 'off';
export type TraceLevel = 'off' | 'messages' | 'verbose';

/** The `zerocopy.*` settings, as the server reads them (per workspace folder). */
export interface Settings {
  enable: boolean;
  severity: Record<RuleId, RuleSeverity>;
  /** Globs (relative to the workspace folder) of files to analyse; empty means every JS/TS file. */
  include: string[];
  /** Globs of files never analysed; `node_modules` below a folder is always skipped when walking. */
  exclude: string[];
  /** Files larger than this (bytes) are skipped with a logged reason. */
  maxFileSize: number;
  trace: { server: TraceLevel };
  /** Room for the code lens ("Benchmark this transfer") that a later issue adds. */
  codeLens: { enable: boolean };
  /** Room for the benchmark settings that a later issue adds. */
  benchmark: { timeoutSeconds: number };
}

export const DEFAULT_SETTINGS: Settings = {
  enable: true,
  severity: Object.fromEntries(RULE_IDS.map((id) => [id, 'warning'])) as Record<RuleId, RuleSeverity>,
  include: [],
  exclude: [],
  maxFileSize: 2_000_000,
  trace: { server: 'off' },
  codeLens: { enable: true },
  benchmark: { timeoutSeconds: 60 },
};

/**
 * What the client may pass as `initializationOptions`. Both fields are optional: a client without
 * them gets the settings from `workspace/configuration` and is taken to trust its workspace (only
 * VS Code has Workspace Trust).
 */
export interface InitializationOptions {
  /** The `zerocopy` settings, for a client that cannot answer `workspace/configuration`. */
  [SETTINGS_SECTION]?: unknown;
  /** False in VS Code's Restricted Mode: settings a repository could turn against the user are limited. */
  workspaceTrusted?: boolean;
}

/** Client -> server: the user trusted the workspace during the session (VS Code cannot take trust back without a reload). */
export const WorkspaceTrustNotification = 'zerocopy/workspaceTrust';
export interface WorkspaceTrustParams {
  trusted: boolean;
}

/**
 * The settings a repository's own `.vscode/settings.json` could turn against the user, listed in
 * the manifest's `capabilities.untrustedWorkspaces.restrictedConfigurations`: VS Code ignores their
 * workspace values in Restricted Mode, and the server limits them itself when told the workspace is
 * not trusted (`maxFileSize` can be lowered, not raised; the others run workspace code).
 */
export const RESTRICTED_SETTINGS = ['maxFileSize', 'codeLens.enable', 'benchmark.timeoutSeconds'] as const;

export const COMMANDS = {
  analyzeWorkspace: 'zerocopy.analyzeWorkspace',
  showRuleDocs: 'zerocopy.showRuleDocs',
  restartServer: 'zerocopy.restartServer',
  /** VS Code: benchmark the finding under the cursor (or picked), show the results view. */
  benchmarkTransfer: 'zerocopy.benchmarkTransfer',
} as const;

/**
 * `workspace/executeCommand` commands of the server (any LSP client can run them):
 * - `zerocopy.runBenchmark` [BenchmarkCommandArgs] -> BenchReport (the `zerocopy bench --json`
 *   object), with work-done progress, cancellable; fails with the reason when the transfer
 *   cannot be made runnable;
 * - `zerocopy.benchmarkMarkdown` [BenchReport] -> string: the report as Markdown.
 */
export const SERVER_COMMANDS = {
  runBenchmark: 'zerocopy.runBenchmark',
  benchmarkMarkdown: 'zerocopy.benchmarkMarkdown',
} as const;

export interface BenchmarkCommandArgs {
  /** The file holding the finding (its source call), and the finding's start: 0-based, as in LSP. */
  uri: string;
  line: number;
  character?: number;
  /** Bytes, or sizes as the CLI takes them ('64K', '1M'). Default: 64 KiB, 1 MiB, 16 MiB, 256 MiB. */
  sizes?: Array<number | string>;
  concurrency?: number[];
  /** Seconds of measuring; default: two thirds of zerocopy.benchmark.timeoutSeconds, at most 40. */
  timeBudgetSeconds?: number;
}

export type { BenchReport, BenchVariant, BenchPoint, BenchEnvironment } from './benchReport';

/** Client -> server: analyse every file of the workspace (work-done progress, cancellable). */
export const AnalyzeWorkspaceRequest = 'zerocopy/analyzeWorkspace';
export interface AnalyzeWorkspaceParams {
  /** A work-done token created by the client, if it wants progress under its own token. */
  workDoneToken?: string | number;
}
export interface AnalyzeWorkspaceResult {
  files: number;
  findings: number;
  skipped: number;
  cancelled: boolean;
}

/** Server -> client: what the status bar shows. */
export const StatusNotification = 'zerocopy/status';
export interface StatusParams {
  state: 'idle' | 'analysing';
  /** Findings currently published across the workspace. */
  findings: number;
  /** Files with at least one finding. */
  files: number;
  /** Files analysed only in part (a bound of the analysis was reached): their findings may be incomplete. */
  incomplete: number;
}

/**
 * Client -> server: what the bundled `zerocopy` runtime can do on this machine. The server asks a
 * child process (`zerocopy runtime-info --json`), once, so that loading the addon (which installs
 * a SIGBUS handler) never happens in the language server itself.
 */
export const RuntimeInfoRequest = 'zerocopy/runtimeInfo';
export interface RuntimeInfo {
  /** `process.platform` and `process.arch` where the runtime was probed, and the Node version. */
  platform: string;
  arch: string;
  node: string;
  /** Whether the native addon loaded; `reason` says why not. */
  loaded: boolean;
  reason?: string;
  /** The `.node` file in use. */
  path?: string;
  /** `sendFile` uses sendfile(2) on plain TCP and Unix sockets (otherwise it streams). */
  sendfile: boolean;
  /** `mapFile` really maps (otherwise it returns a copy). */
  mmap: boolean;
  sigbusGuard: boolean;
}

/** `Diagnostic.source` of every diagnostic the server publishes. */
export const DIAGNOSTIC_SOURCE = 'zerocopy';

/**
 * `Diagnostic.code` of the information diagnostic at the top of a file analysed only in part
 * (it carries no `FindingDiagnosticData`: it is not a finding).
 */
export const INCOMPLETE_ANALYSIS_CODE = 'analysis-incomplete';

/** What each zerocopy diagnostic carries in `Diagnostic.data`: what quick fixes and code lenses need. */
export interface FindingDiagnosticData {
  rule: RuleId;
  recommendation: Recommendation;
  /** The finding's index among those published for this document in this version. */
  findingIndex: number;
  /** The document version the finding was computed for; null for a file not open in the editor. */
  version: number | null;
  sink: { kind: SinkKind; transport: Transport };
  holds: 'whole-file' | 'chunk';
}

/** Where each rule's documentation lives, relative to the package root (shipped in the .vsix). */
export function ruleDocPath(rule: RuleId): string {
  return `docs/rules/${rule}.md`;
}
