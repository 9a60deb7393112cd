/**
 * The language server: wires the connection's events to the handlers of this folder, each of
 * which is a factory over a small dependency interface (tested without a connection). Nothing
 * here decides anything the handlers could decide.
 */
import { join } from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import {
  CodeActionRequest,
  CodeActionResolveRequest,
  DidChangeConfigurationNotification,
  LSPErrorCodes,
  DidChangeWatchedFilesNotification,
  ErrorCodes,
  ExecuteCommandRequest,
  FileChangeType,
  HoverRequest,
  ResponseError,
  TextDocumentSyncKind,
  TextDocuments,
  type Connection,
  type InitializeParams,
  type HoverParams,
  type InitializeResult,
} from 'vscode-languageserver/node';
import { Project, type Finding } from '../engine';
import {
  AnalyzeWorkspaceRequest,
  COMMANDS,
  RuntimeInfoRequest,
  SERVER_COMMANDS,
  SETTINGS_SECTION,
  StatusNotification,
  WorkspaceTrustNotification,
  type AnalyzeWorkspaceParams,
  type InitializationOptions,
  type BenchmarkCommandArgs,
  type BenchReport,
  type Settings,
  type WorkspaceTrustParams,
} from '../protocol';
import { formatBenchMarkdown } from '../bench/format/table';
import { packageRoot } from '../report/packageRoot';
import { isRuleId, ruleDocUri } from '../report/ruleInfo';
import { bundledRuntimeVersion } from '../report/runtimeVersion';
import { analyseSource, projectFiles } from '../workspace/analyseSource';
import { createPathFilter, type PathFilter } from '../workspace/globs';
import { readSourceFile } from '../workspace/readSource';
import { isWalkedFile, walkSourceFiles } from '../workspace/walk';
import { isSourceFile } from '../workspace/sourceFiles';
import { AnalysisQueue } from './analysisQueue';
import { CODE_ACTION_KINDS, createCodeActionHandlers, isCodeAction, isCodeActionParams } from './codeActions';
import { createAnalyzeWorkspaceHandler, type Progress } from './analyzeWorkspace';
import { BenchmarkFailed, createBenchmarkHandler } from './benchmark';
import { CommandDispatcher } from './commands';
import { mayImport } from './dependents';
import { checkedDocumentEvents } from './documentSync';
import { fileNameOf, uriOf } from './documentFiles';
import { createFileAnalyser, type OpenDocument } from './fileAnalyser';
import { createFixSource } from './fixSource';
import { createNoFixNotes } from './noFixNotes';
import { FindingStore } from './findingStore';
import type { Inbox } from './inbox';
import { createHoverHandler } from './hover';
import { Lifecycle } from './lifecycle';
import { createPublisher } from './publisher';
import { createRuntimeInfo, probeWithCli } from './runtimeInfo';
import { SettingsCache } from './settingsCache';
import { createStatusReporter } from './status';

const WATCHED_FILES = '**/*.{js,jsx,ts,tsx,mjs,cjs,mts,cts}';
/** Where imports lead (the engine's module model) is read from these: tsconfig/jsconfig, package.json, workspace files. */
const WATCHED_CONFIGS = '**/{*.json,pnpm-workspace.yaml}';
/** How long an open document rests before its findings' "no quick fix, because …" notes are computed. */
const NO_FIX_NOTES_REST_MS = 300;

/** dist/cli.js: the binary this server runs as (`zerocopy lsp`), which also runs `zerocopy bench`. */
function cliPath(): string {
  const script = process.argv[1];
  if (script && /cli\.js$/.test(script)) return script;
  return join(packageRoot() ?? process.cwd(), 'dist', 'cli.js');
}

/** `inbox`: what the connection was made with (`createConnection(…, inbox.connectionOptions)`), so bursts of edits coalesce. */
export function startServer(connection: Connection, inbox?: Inbox): void {
  const lifecycle = new Lifecycle();
  const commands = new CommandDispatcher();
  const documents = new TextDocuments(TextDocument);
  const openUris = new Map<string, string>(); // file name -> the URI the editor uses
  let folders: string[] = [];
  let clientHasConfiguration = false;
  let clientHasWatcherRegistration = false;
  let clientHasFolderEvents = false;
  let clientResolvesEdits = false;
  let clientShowsDocuments = false;
  /** Set once a workspace analysis ran to the end: from then on new and changed files are analysed too. */
  let workspaceAnalysed = false;
  /** Used when the client cannot answer `workspace/configuration`: what it last pushed. */
  let pushedSettings: unknown;
  /** False when the client says the workspace is not trusted (VS Code's Restricted Mode). */
  let workspaceTrusted = true;
  /** The files the last workspace analysis walked. */
  let walkedFiles: readonly string[] = [];
  /** The project's files as far as the server knows them (walked, or open): a new array when it changes. */
  let listing: readonly string[] = [];
  const relist = (): void => {
    listing = [...new Set([...walkedFiles, ...openUris.keys()])];
  };

  const openDocument = (fileName: string): OpenDocument | undefined => {
    const uri = openUris.get(fileName);
    return uri === undefined ? undefined : documents.get(uri);
  };
  const settings = new SettingsCache(async (folder) => {
    if (!clientHasConfiguration) return pushedSettings;
    return connection.workspace.getConfiguration({ scopeUri: folder === undefined ? undefined : uriOf(folder), section: SETTINGS_SECTION });
  }, () => folders, () => workspaceTrusted);
  let project = newProject();
  const store = new FindingStore();
  const status = createStatusReporter((params) => void connection.sendNotification(StatusNotification, params), () => store.totals());
  const publishDiagnostics = createPublisher({
    store,
    openDocument,
    settingsNow: (fileName) => settings.peek(fileName),
    uriOf,
    ruleDocUri,
    send: (params) => void connection.sendDiagnostics(params),
    noFix: (fileName, finding) => notes.noteFor(fileName, finding),
    afterPublish: () => status.refresh(),
  });
  const publish = (fileNames: Iterable<string>): void => {
    const list = [...fileNames];
    publishDiagnostics(list);
    notes.published(list);
  };
  /** The version of each open document its findings were computed at (code actions need them current). */
  const analysedVersions = new Map<string, number>();
  const log = { info: (m: string) => connection.console.info(m), error: (m: string) => connection.console.error(m) };
  const analyseFile = createFileAnalyser({
    openDocument,
    readFromDisk: readSourceFile,
    settingsFor: (fileName) => settings.get(fileName),
    accepts: (fileName, s) => acceptsFile(fileName, s),
    analyse: (fileName, text, options) => {
      const version = openDocument(fileName)?.version;
      if (version === undefined) analysedVersions.delete(fileName);
      else analysedVersions.set(fileName, version);
      return analyseSource(fileName, text, { ...options, project });
    },
    store,
    publish,
    log,
  });
  const queue = new AnalysisQueue(
    analyseFile,
    (fileName, error) => log.error(`zerocopy: analysing ${fileName} failed: ${error instanceof Error ? error.stack : String(error)}`),
    undefined,
    inbox && (() => inbox.drained()),
  );

  function newProject(): Project {
    return new Project(
      projectFiles(
        (fileName) => openDocument(fileName)?.getText(),
        (fileName) => settings.peek(fileName).maxFileSize,
        () => listing,
      ),
    );
  }

  /** Each folder's settings object gets its filter once; refused globs are logged then. */
  const pathFilters = new WeakMap<Settings, PathFilter>();
  function pathFilter(folder: string, s: Settings): PathFilter {
    let filter = pathFilters.get(s);
    if (!filter) {
      pathFilters.set(s, (filter = createPathFilter(folder, s.include, s.exclude)));
      for (const problem of filter.problems) log.info(`zerocopy: settings of ${folder}: ${problem}`);
    }
    return filter;
  }

  function acceptsFile(fileName: string, s: Settings): boolean {
    const folder = settings.folderOf(fileName);
    return folder === undefined || pathFilter(folder, s).accepts(fileName);
  }

  /** After `fileName`'s text changed: what must be analysed again, and in which order. */
  function textChanged(fileName: string): void {
    project.invalidate(fileName);
    queue.schedule(fileName, 'urgent');
    for (const other of store.forgetFindingsIn(fileName)) queue.schedule(other, 'background');
    for (const [other, uri] of openUris) {
      if (other !== fileName && mayImport(documents.get(uri)?.getText() ?? '', fileName)) queue.schedule(other, 'background');
    }
  }

  function isInWorkspace(fileName: string): boolean {
    const folder = settings.folderOf(fileName);
    return folder !== undefined && isWalkedFile(folder, fileName);
  }

  function reanalyseEverything(): void {
    for (const fileName of openUris.keys()) queue.schedule(fileName, 'urgent');
    for (const fileName of store.analysedFiles()) queue.schedule(fileName, 'background');
    // After a workspace analysis, files without findings may gain some (a rule turned back on).
    if (workspaceAnalysed) {
      void (async () => {
        for (const folder of folders) {
          for await (const fileName of walkSourceFiles(folder)) queue.schedule(fileName, 'background');
        }
      })().catch((error: unknown) => log.error(`zerocopy: re-walking the workspace failed: ${String(error)}`));
    }
  }

  connection.onInitialize((params: InitializeParams) => {
    const refused = lifecycle.initialize();
    if (refused) return refused;
    const capabilities = params.capabilities ?? {};
    clientHasConfiguration = capabilities.workspace?.configuration === true;
    clientHasWatcherRegistration = capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration === true;
    clientHasFolderEvents = capabilities.workspace?.workspaceFolders === true;
    clientResolvesEdits = Array.isArray(capabilities.textDocument?.codeAction?.resolveSupport?.properties) && capabilities.textDocument.codeAction.resolveSupport.properties.includes('edit');
    clientShowsDocuments = capabilities.window?.showDocument?.support === true;
    const options = (isRecord(params.initializationOptions) ? params.initializationOptions : {}) as InitializationOptions;
    // A client that cannot be asked may hand the settings over at start: `{ zerocopy: {…} }`.
    pushedSettings = options[SETTINGS_SECTION];
    // Only a client that says so is untrusted: editors without Workspace Trust trust their folders.
    workspaceTrusted = options.workspaceTrusted !== false;
    if (!workspaceTrusted) log.info('zerocopy: the workspace is not trusted: settings it could turn against you are limited (see SECURITY.md)');
    const initialFolders = params.workspaceFolders?.map((f) => f.uri) ?? (params.rootUri ? [params.rootUri] : []);
    folders = initialFolders.filter((uri) => typeof uri === 'string' && uri.startsWith('file:')).map((uri) => fileNameOf(uri));
    const result: InitializeResult = {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
        hoverProvider: true,
        codeActionProvider: { codeActionKinds: CODE_ACTION_KINDS, resolveProvider: true },
        // The benchmark's commands; not showRuleDocs, which VS Code's extension runs itself (declared,
        // vscode-languageclient would register it a second time).
        executeCommandProvider: { commands: commands.commands.filter((c) => c !== COMMANDS.showRuleDocs) },
        workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
      },
      serverInfo: { name: 'zerocopy' },
    };
    return result;
  });

  // Probed on the first request only (VS Code asks as soon as the server runs; other editors need not pay for it).
  const runtimeInfo = createRuntimeInfo(probeWithCli());
  connection.onRequest(RuntimeInfoRequest, lifecycle.request(RuntimeInfoRequest, () => runtimeInfo()));

  connection.onInitialized(lifecycle.notification(() => {
    if (clientHasConfiguration) void connection.client.register(DidChangeConfigurationNotification.type, { section: SETTINGS_SECTION });
    if (clientHasWatcherRegistration) {
      void connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: [{ globPattern: WATCHED_FILES }, { globPattern: WATCHED_CONFIGS }] });
    }
    if (clientHasFolderEvents) {
      connection.workspace.onDidChangeWorkspaceFolders(lifecycle.notification((event) => {
        const removed = new Set(event.removed.map((f) => fileNameOf(f.uri)));
        folders = folders.filter((f) => !removed.has(f));
        folders.push(...event.added.filter((f) => f.uri.startsWith('file:')).map((f) => fileNameOf(f.uri)));
        settings.clear();
      }));
    }
    status.refresh();
  }));

  documents.onDidOpen(({ document }) => {
    openUris.set(fileNameOf(document.uri, document.languageId), document.uri);
    relist();
  });
  // Fires for opening and for every edit.
  documents.onDidChangeContent(({ document }) => {
    const fileName = fileNameOf(document.uri, document.languageId);
    openUris.set(fileName, document.uri);
    textChanged(fileName);
  });
  documents.onDidClose(({ document }) => {
    const fileName = fileNameOf(document.uri, document.languageId);
    openUris.delete(fileName);
    relist();
    queue.cancel(fileName);
    notes.forget(fileName);
    fixes.forget(fileName);
    project.invalidate(fileName); // the disk's text is the truth again
    const affected = store.clear(fileName);
    for (const other of store.forgetFindingsIn(fileName)) queue.schedule(other, 'background');
    publish(affected);
    // In an analysed workspace the file keeps the diagnostics of its text on disk.
    if (workspaceAnalysed && isInWorkspace(fileName)) queue.schedule(fileName, 'background');
  });

  connection.onDidChangeWatchedFiles(lifecycle.notification((params) => {
    let modulesChanged = false;
    for (const change of Array.isArray(params?.changes) ? params.changes : []) {
      if (typeof change?.uri !== 'string' || !change.uri.startsWith('file:')) continue;
      const fileName = fileNameOf(change.uri);
      // A tsconfig, package.json or workspace file the engine resolved imports with: every analysis may change.
      if (project.isModuleConfig(fileName)) {
        project.invalidate(fileName);
        modulesChanged = true;
        continue;
      }
      // A source file (or one analysed before: a deleted script without an extension), unless the editor's text wins.
      if (!(isSourceFile(fileName) || store.analysedFiles().includes(fileName)) || openUris.has(fileName)) continue;
      project.invalidate(fileName);
      const wasAnalysed = store.analysedFiles().includes(fileName);
      // Findings other files put here point into the old text: drop them and find them again.
      const contributors = store.forgetFindingsIn(fileName);
      for (const other of contributors) queue.schedule(other, 'background');
      if (change.type === FileChangeType.Deleted) {
        queue.cancel(fileName);
        publish([...store.clear(fileName), fileName]);
      } else {
        // After a workspace analysis every file of the workspace is kept up to date.
        if (wasAnalysed || (workspaceAnalysed && isInWorkspace(fileName))) queue.schedule(fileName, 'background');
        if (contributors.length > 0) publish([fileName]);
      }
      for (const [other, uri] of openUris) {
        if (mayImport(documents.get(uri)?.getText() ?? '', fileName)) queue.schedule(other, 'background');
      }
    }
    if (modulesChanged) reanalyseEverything();
  }));

  connection.onDidChangeConfiguration(lifecycle.notification((change) => {
    const section = (change?.settings as Record<string, unknown> | undefined)?.[SETTINGS_SECTION];
    if (section !== undefined) pushedSettings = section;
    settingsChanged();
  }));

  connection.onNotification(WorkspaceTrustNotification, lifecycle.notification((params: WorkspaceTrustParams) => {
    if (params?.trusted !== true || workspaceTrusted) return; // trust is granted, never taken back, within a session
    workspaceTrusted = true;
    log.info('zerocopy: the workspace is now trusted: its settings apply in full');
    settingsChanged();
  }));

  function settingsChanged(): void {
    settings.clear();
    project = newProject();
    reanalyseEverything();
  }

  const hover = createHoverHandler({
    fileNameOf: (uri) => fileNameOf(uri, documents.get(uri)?.languageId),
    findingsIn: (fileName) => store.findingsIn(fileName),
    textOf: (uri) => documents.get(uri)?.getText(),
    ruleDocUri,
    noFix: (fileName, finding) => notes.noteNow(fileName, finding),
  });
  // Registered by method rather than with onHover, whose wrapper reads the params before any check.
  connection.onRequest(
    HoverRequest.method,
    lifecycle.request(HoverRequest.method, (params: unknown) =>
      isHoverParams(params) ? hover(params) : new ResponseError(ErrorCodes.InvalidParams, 'textDocument/hover needs a textDocument uri and a position'),
    ),
  );

  function findingsAt(fileName: string, version: number): readonly Finding[] | undefined {
    return analysedVersions.get(fileName) === version ? store.findingsIn(fileName) : undefined;
  }
  const fixes = createFixSource({ openText: (fileName) => openDocument(fileName)?.getText(), project: () => project, zerocopyVersion: bundledRuntimeVersion(), log });
  const notes = createNoFixNotes({
    document: openDocument,
    findingsAt,
    noFix: (fileName, text, finding) => {
      const result = fixes.fixesFor(fileName, text, finding);
      return result.fixes.length === 0 ? result.noFix : undefined;
    },
    republish: (fileName) => publishDiagnostics([fileName]),
    restMs: NO_FIX_NOTES_REST_MS,
  });
  const codeActions = createCodeActionHandlers({
    document: (uri) => {
      const document = documents.get(uri);
      return document && { fileName: fileNameOf(uri, document.languageId), version: document.version, getText: () => document.getText() };
    },
    findingsAt,
    fixesFor: fixes.fixesFor,
    editTarget: (fileName) => {
      const document = openDocument(fileName);
      return document ? { uri: document.uri, version: document.version } : { uri: uriOf(fileName), version: null };
    },
    clientResolvesEdits: () => clientResolvesEdits,
  });
  // Registered by method, as the hover is: the params are checked before the handlers see them.
  connection.onRequest(
    CodeActionRequest.method,
    lifecycle.request(CodeActionRequest.method, (params: unknown) =>
      isCodeActionParams(params) ? codeActions.codeAction(params) : new ResponseError(ErrorCodes.InvalidParams, 'textDocument/codeAction needs a textDocument uri, a range and a context'),
    ),
  );
  connection.onRequest(
    CodeActionResolveRequest.method,
    lifecycle.request(CodeActionResolveRequest.method, (action: unknown) =>
      isCodeAction(action) ? codeActions.resolve(action) : new ResponseError(ErrorCodes.InvalidParams, 'codeAction/resolve needs a code action'),
    ),
  );
  // "Show the rule's docs" in editors without the extension's own command (VS Code runs its own).
  commands.register(COMMANDS.showRuleDocs, async (args) => {
    const rule = String(args[0]);
    if (!isRuleId(rule)) throw new ResponseError(ErrorCodes.InvalidParams, `workspace/executeCommand: ${COMMANDS.showRuleDocs} takes a rule id`);
    const uri = ruleDocUri(rule);
    if (uri && clientShowsDocuments) await connection.window.showDocument({ uri, takeFocus: true });
    return uri ?? null;
  });
  const startProgress = async (token: string | number | undefined): Promise<Progress> =>
    token !== undefined ? connection.window.attachWorkDoneProgress(token) : connection.window.createWorkDoneProgress();
  const runBenchmark = createBenchmarkHandler({ cliPath: cliPath(), fileNameOf: (uri) => fileNameOf(uri), settingsFor: (fileName) => settings.get(fileName), startProgress, log });
  commands.register(SERVER_COMMANDS.runBenchmark, async (args, token, workDoneToken) => {
    // It runs the workspace's code: never in a workspace the user has not trusted, whatever the client checked.
    if (!workspaceTrusted) throw new ResponseError(LSPErrorCodes.RequestFailed, 'Benchmarking runs code from the workspace: trust the workspace first (it is in Restricted Mode)', { kind: 'untrusted' });
    try {
      return await runBenchmark(args[0] as BenchmarkCommandArgs, token, workDoneToken);
    } catch (error) {
      if (!(error instanceof BenchmarkFailed)) throw error;
      throw new ResponseError(error.kind === 'cancelled' ? LSPErrorCodes.RequestCancelled : LSPErrorCodes.RequestFailed, error.message, { kind: error.kind });
    }
  });
  commands.register(SERVER_COMMANDS.benchmarkMarkdown, (args) => formatBenchMarkdown(args[0] as BenchReport));
  // Not connection.onExecuteCommand: it takes the client's workDoneToken out of the params.
  connection.onRequest(
    ExecuteCommandRequest.method,
    lifecycle.request(ExecuteCommandRequest.method, (params: unknown, token) => {
      if (!isRecord(params) || typeof params.command !== 'string' || (params.arguments !== undefined && !Array.isArray(params.arguments))) {
        return new ResponseError(ErrorCodes.InvalidParams, 'workspace/executeCommand needs a command and an array of arguments');
      }
      const workDoneToken = typeof params.workDoneToken === 'string' || typeof params.workDoneToken === 'number' ? params.workDoneToken : undefined;
      return commands.execute(params.command, params.arguments as unknown[] | undefined, token, workDoneToken);
    }),
  );

  const analyzeWorkspace = createAnalyzeWorkspaceHandler({
    folders: () => folders,
    settingsForFolder: (folder) => settings.forFolder(folder),
    pathFilter,
    analyseFile,
    startProgress: async (token): Promise<Progress> => {
      if (token !== undefined) return connection.window.attachWorkDoneProgress(token);
      return connection.window.createWorkDoneProgress();
    },
    setState: (state) => status.setState(state),
    filesFound: (files) => {
      walkedFiles = files;
      relist();
    },
    walkSkipped: (path, reason) => log.info(`zerocopy: skipped ${path}: ${reason}`),
  });
  connection.onRequest(AnalyzeWorkspaceRequest, lifecycle.request(AnalyzeWorkspaceRequest, async (params: AnalyzeWorkspaceParams | undefined, token) => {
    // A shutdown stops it too.
    const cancelled = { get isCancellationRequested() { return token.isCancellationRequested || !lifecycle.running; } };
    const result = await analyzeWorkspace(isRecord(params) ? params : undefined, cancelled);
    if (!result.cancelled) workspaceAnalysed = true;
    return result;
  }));

  connection.onShutdown(() => {
    const refused = lifecycle.shutdown();
    if (refused) return refused;
    queue.dispose();
    notes.dispose();
    return undefined;
  });

  lifecycle.answerUnhandledRequests(connection);
  documents.listen(
    checkedDocumentEvents({
      connection,
      lifecycle,
      documentAt: (uri) => documents.get(uri),
      log: (message) => log.info(message),
    }),
  );
  connection.listen();
}

function isHoverParams(params: unknown): params is HoverParams {
  if (!isRecord(params) || !isRecord(params.textDocument) || typeof params.textDocument.uri !== 'string' || !isRecord(params.position)) return false;
  const { line, character } = params.position;
  return Number.isSafeInteger(line) && Number.isSafeInteger(character);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
