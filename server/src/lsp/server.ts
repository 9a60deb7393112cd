/**
 * The language server: wires the connection's events to the handlers of this folder, each of
 * which is a factory over a small dependency interface (tested without a connection). Nothing
 * here decides anything the handlers could decide.
 */
import { join } from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import {
  DidChangeConfigurationNotification,
  LSPErrorCodes,
  ResponseError,
  DidChangeWatchedFilesNotification,
  ExecuteCommandRequest,
  FileChangeType,
  TextDocumentSyncKind,
  TextDocuments,
  type Connection,
  type InitializeParams,
  type InitializeResult,
} from 'vscode-languageserver/node';
import { Project, isAnalyzableFile } from '../engine';
import {
  AnalyzeWorkspaceRequest,
  SERVER_COMMANDS,
  SETTINGS_SECTION,
  StatusNotification,
  type AnalyzeWorkspaceParams,
  type BenchmarkCommandArgs,
  type BenchReport,
  type Settings,
} from '../protocol';
import { formatBenchMarkdown } from '../bench/format/table';
import { packageRoot } from '../report/packageRoot';
import { ruleDocUri } from '../report/ruleInfo';
import { analyseSource, projectFiles } from '../workspace/analyseSource';
import { createPathFilter } from '../workspace/globs';
import { readSourceFile } from '../workspace/readSource';
import { isWalkedFile, walkSourceFiles } from '../workspace/walk';
import { AnalysisQueue } from './analysisQueue';
import { createAnalyzeWorkspaceHandler, type Progress } from './analyzeWorkspace';
import { BenchmarkFailed, createBenchmarkHandler } from './benchmark';
import { CommandDispatcher } from './commands';
import { mayImport } from './dependents';
import { fileNameOf, uriOf } from './documentFiles';
import { createFileAnalyser, type OpenDocument } from './fileAnalyser';
import { FindingStore } from './findingStore';
import { createHoverHandler } from './hover';
import { createPublisher } from './publisher';
import { SettingsCache } from './settingsCache';
import { createStatusReporter } from './status';

const WATCHED_FILES = '**/*.{js,jsx,ts,tsx,mjs,cjs,mts,cts}';

/** dist/cli.js: the binary this server runs as (`zerocopy lsp`), which also runs `zerocopy bench`. */
function cliPath(): string {
  const script = process.argv[1];
  if (script && /cli\.js$/.test(script)) return script;
  return join(packageRoot() ?? process.cwd(), 'dist', 'cli.js');
}

export function startServer(connection: Connection): void {
  const commands = new CommandDispatcher();
  const documents = new TextDocuments(TextDocument);
  const openUris = new Map<string, string>(); // file name -> the URI the editor uses
  let folders: string[] = [];
  let clientHasConfiguration = false;
  let clientHasWatcherRegistration = false;
  let clientHasFolderEvents = false;
  /** Set once a workspace analysis ran to the end: from then on new and changed files are analysed too. */
  let workspaceAnalysed = false;
  /** Used when the client cannot answer `workspace/configuration`: what it last pushed. */
  let pushedSettings: unknown;
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
  }, () => folders);
  let project = newProject();
  const store = new FindingStore();
  const status = createStatusReporter((params) => void connection.sendNotification(StatusNotification, params), () => store.totals());
  const publish = createPublisher({
    store,
    openDocument,
    settingsNow: (fileName) => settings.peek(fileName),
    uriOf,
    ruleDocUri,
    send: (params) => void connection.sendDiagnostics(params),
    afterPublish: () => status.refresh(),
  });
  const log = { info: (m: string) => connection.console.info(m), error: (m: string) => connection.console.error(m) };
  const analyseFile = createFileAnalyser({
    openDocument,
    readFromDisk: readSourceFile,
    settingsFor: (fileName) => settings.get(fileName),
    accepts: (fileName, s) => acceptsFile(fileName, s),
    analyse: (fileName, text, options) => analyseSource(fileName, text, { ...options, project }),
    store,
    publish,
    log,
  });
  const queue = new AnalysisQueue(analyseFile, (fileName, error) =>
    log.error(`zerocopy: analysing ${fileName} failed: ${error instanceof Error ? error.stack : String(error)}`),
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

  function acceptsFile(fileName: string, s: Settings): boolean {
    const folder = settings.folderOf(fileName);
    return folder === undefined || createPathFilter(folder, s.include, s.exclude).accepts(fileName);
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

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    const capabilities = params.capabilities;
    clientHasConfiguration = capabilities.workspace?.configuration === true;
    clientHasWatcherRegistration = capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration === true;
    clientHasFolderEvents = capabilities.workspace?.workspaceFolders === true;
    // A client that cannot be asked may hand the settings over at start: `{ zerocopy: {…} }`.
    pushedSettings = (params.initializationOptions as Record<string, unknown> | undefined)?.[SETTINGS_SECTION];
    const initialFolders = params.workspaceFolders?.map((f) => f.uri) ?? (params.rootUri ? [params.rootUri] : []);
    folders = initialFolders.filter((uri) => uri.startsWith('file:')).map((uri) => fileNameOf(uri));
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
        hoverProvider: true,
        executeCommandProvider: { commands: commands.commands },
        workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
      },
      serverInfo: { name: 'zerocopy' },
    };
  });

  connection.onInitialized(() => {
    if (clientHasConfiguration) void connection.client.register(DidChangeConfigurationNotification.type, { section: SETTINGS_SECTION });
    if (clientHasWatcherRegistration) {
      void connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: [{ globPattern: WATCHED_FILES }] });
    }
    if (clientHasFolderEvents) {
      connection.workspace.onDidChangeWorkspaceFolders((event) => {
        const removed = new Set(event.removed.map((f) => fileNameOf(f.uri)));
        folders = folders.filter((f) => !removed.has(f));
        folders.push(...event.added.filter((f) => f.uri.startsWith('file:')).map((f) => fileNameOf(f.uri)));
        settings.clear();
      });
    }
    status.refresh();
  });

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
    project.invalidate(fileName); // the disk's text is the truth again
    const affected = store.clear(fileName);
    for (const other of store.forgetFindingsIn(fileName)) queue.schedule(other, 'background');
    publish(affected);
    // In an analysed workspace the file keeps the diagnostics of its text on disk.
    if (workspaceAnalysed && isInWorkspace(fileName)) queue.schedule(fileName, 'background');
  });

  connection.onDidChangeWatchedFiles(({ changes }) => {
    for (const change of changes) {
      if (!change.uri.startsWith('file:')) continue;
      const fileName = fileNameOf(change.uri);
      if (!isAnalyzableFile(fileName) || openUris.has(fileName)) continue; // the editor's text wins
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
  });

  connection.onDidChangeConfiguration((change) => {
    const section = (change.settings as Record<string, unknown> | undefined)?.[SETTINGS_SECTION];
    if (section !== undefined) pushedSettings = section;
    settings.clear();
    project = newProject();
    reanalyseEverything();
  });

  connection.onHover(
    createHoverHandler({
      fileNameOf: (uri) => fileNameOf(uri, documents.get(uri)?.languageId),
      findingsIn: (fileName) => store.findingsIn(fileName),
      textOf: (uri) => documents.get(uri)?.getText(),
      ruleDocUri,
    }),
  );

  const analyzeWorkspace = createAnalyzeWorkspaceHandler({
    folders: () => folders,
    settingsForFolder: (folder) => settings.forFolder(folder),
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
  });
  connection.onRequest(AnalyzeWorkspaceRequest, async (params: AnalyzeWorkspaceParams | undefined, token) => {
    const result = await analyzeWorkspace(params, token);
    if (!result.cancelled) workspaceAnalysed = true;
    return result;
  });

  const startProgress = async (token: string | number | undefined): Promise<Progress> =>
    token !== undefined ? connection.window.attachWorkDoneProgress(token) : connection.window.createWorkDoneProgress();
  const runBenchmark = createBenchmarkHandler({ cliPath: cliPath(), fileNameOf: (uri) => fileNameOf(uri), settingsFor: (fileName) => settings.get(fileName), startProgress, log });
  commands.register(SERVER_COMMANDS.runBenchmark, async (args, token, workDoneToken) => {
    try {
      return await runBenchmark(args[0] as BenchmarkCommandArgs, token, workDoneToken);
    } catch (error) {
      if (!(error instanceof BenchmarkFailed)) throw error;
      throw new ResponseError(error.kind === 'cancelled' ? LSPErrorCodes.RequestCancelled : LSPErrorCodes.RequestFailed, error.message, { kind: error.kind });
    }
  });
  commands.register(SERVER_COMMANDS.benchmarkMarkdown, (args) => formatBenchMarkdown(args[0] as BenchReport));
  // Not connection.onExecuteCommand: it takes the client's workDoneToken out of the params.
  connection.onRequest(ExecuteCommandRequest.type, (params, token) => commands.execute(params.command, params.arguments, token, params.workDoneToken));

  connection.onShutdown(() => queue.dispose());

  documents.listen(connection);
  connection.listen();
}
