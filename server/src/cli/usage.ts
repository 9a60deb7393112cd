/** The help texts. Kept beside the argument parsers they describe. */
import { DEFAULT_TIME_BUDGET_SECONDS } from '../bench/defaults';
import { RULE_IDS } from '../engine/types';

export const MAIN_USAGE = `Usage: zerocopy <command> [options]

Finds Node.js code that copies file bytes through JavaScript on their way to a socket,
and says which zero-copy rewrite fits (sendfile, mmap, stream, respondWithFile, copyFile).

Commands:
  check [paths…]     analyse files and folders, report findings (exit 1 if any)
  lsp --stdio        run the language server over stdin/stdout (--node-ipc for VS Code)
  bench FILE:LINE    benchmark a finding's transfer against its rewrites (exit 1 if it cannot run)

Options:
  -h, --help         show this help (zerocopy <command> --help for a command's)
  -v, --version      print the version
`;

export const CHECK_USAGE = `Usage: zerocopy check [paths…] [options]

Analyses the given files and folders (default: the current folder). A folder is walked
honouring .gitignore and skipping node_modules below it; a file named explicitly is always
analysed, even inside node_modules.

Options:
  -f, --format <text|json|sarif>  report format (default: text)
  -o, --output <file>             write the report to a file instead of stdout
  -r, --rule <id>                 only report this rule; repeat for several
                                  (${RULE_IDS.join(', ')})
      --max-file-size <bytes>     skip larger files (default: 2000000)
      --fix                       apply the preferred fix of every finding that has one
                                  (files are rewritten; package.json gains zerocopy when needed)
      --fix-dry-run               print those fixes as a unified diff; change nothing
  -h, --help                      show this help

Each finding says whether it has a fix, or why not. With --fix, what was fixed is listed first,
then the findings that remain.

Exit status: 0 no findings, 1 findings, 2 usage or internal error (with --fix: the findings that
remain after the fixes).
`;

export const LSP_USAGE = `Usage: zerocopy lsp (--stdio | --node-ipc | --socket=<port> | --pipe=<name>)

Runs the language server. Editors start it themselves; --stdio suits most of them.
`;

export const BENCH_USAGE = `Usage: zerocopy bench FILE:LINE[:COL] [options]

Benchmarks the transfer of the finding at FILE:LINE (as \`zerocopy check\` prints it): your code
path, cut down to the transfer and bound to a generated file and a real server on 127.0.0.1,
against each fix's rewrite and the references (sendFile, pipeline(createReadStream), mapFile +
write, readFile + write). It runs your code, in child processes: run it only on code you trust.

Options:
      --sizes <list>          file sizes (default: 64K,1M,16M,256M)
      --concurrency <list>    transfers at once (default: 1,16)
      --time-budget <s>       seconds of measuring rounds, shared by the points (default: ${DEFAULT_TIME_BUDGET_SECONDS});
                              start-up, files and the byte checks come on top
      --time-limit <s>        seconds the whole command may take: points not begun by then are
                              skipped, and the report says so (default: none)
      --json [file]           the report as JSON: to a file (the table still goes to stdout),
                              or to stdout instead of the table without a file or with -
      --progress <text|json>  progress on stderr as lines of text (default) or JSON
  -h, --help                  show this help

Exit status: 0 measured, 1 the transfer could not be made runnable (the reason on stderr),
2 usage or internal error, 130 cancelled.
`;
