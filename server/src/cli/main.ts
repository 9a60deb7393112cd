/**
 * The `zerocopy` binary (bundled to dist/cli.js): `check`, `lsp`, `bench`, `--help`, `--version`.
 * Exit status: 0 no findings, 1 findings, 2 usage or internal error.
 */
import { packageVersion } from '../report/packageRoot';
import { EXIT_CLEAN, EXIT_ERROR, UsageError, errorKind } from './errors';
import { runtimeInfoCommand } from './runtimeInfoCommand';
import { LSP_USAGE, MAIN_USAGE } from './usage';
// The commands load the engine (and TypeScript) only when they run, from dist/core.js.

async function main(argv: readonly string[]): Promise<number | 'running'> {
  const [command, ...rest] = argv;
  switch (command) {
    case undefined:
      process.stderr.write(MAIN_USAGE);
      return EXIT_ERROR;
    case '-h':
    case '--help':
    case 'help':
      process.stdout.write(MAIN_USAGE);
      return EXIT_CLEAN;
    case '-v':
    case '--version':
      process.stdout.write(`${packageVersion()}\n`);
      return EXIT_CLEAN;
    case 'check':
      return (await import('./core.js')).checkCommand(rest);
    case 'lsp':
      if (rest.includes('--help') || rest.includes('-h')) {
        process.stdout.write(LSP_USAGE);
        return EXIT_CLEAN;
      }
      return (await import('./core.js')).lspCommand(rest);
    case 'runtime-info':
      return runtimeInfoCommand(rest);
    case 'bench':
      return (await import('./core.js')).benchCommand(rest);
    default:
      throw new UsageError(`unknown command '${command}'`);
  }
}

/**
 * A reader that went away (`zerocopy check | head -0`) is not an error of ours: what is left to
 * write is dropped, without a stack, and the run ends with its own status. Not for `lsp`, whose
 * connection handles its streams (a closed stdout there means the editor is gone).
 */
function dropWritesToClosedPipe(stream: NodeJS.WriteStream): void {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE' || error.code === 'ERR_STREAM_DESTROYED') return;
    if (stream !== process.stderr) process.stderr.write(`zerocopy: cannot write the output: ${error.message}\n`);
    process.exitCode = EXIT_ERROR;
  });
}

const argv = process.argv.slice(2);
if (argv[0] !== 'lsp') {
  dropWritesToClosedPipe(process.stdout);
  dropWritesToClosedPipe(process.stderr);
}

main(argv).then(
  (status) => {
    if (status !== 'running') process.exitCode = status;
  },
  (error: unknown) => {
    const kind = errorKind(error);
    if (kind === 'usage') {
      process.stderr.write(`zerocopy: ${(error as Error).message}\nRun 'zerocopy --help' for usage.\n`);
    } else if (kind === 'cli') {
      process.stderr.write(`zerocopy: ${(error as Error).message}\n`);
    } else {
      process.stderr.write(`zerocopy: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    }
    process.exitCode = EXIT_ERROR;
  },
);
