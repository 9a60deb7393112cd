/** The help texts. Kept beside the argument parsers they describe. */
import { RULE_IDS } from '../engine/types';

export const MAIN_USAGE = `Usage: zerocopy <command> [options]

Finds Node.js code that copies file bytes through JavaScript on their way to a socket,
and says which zero-copy rewrite fits (sendfile, mmap, stream, respondWithFile, copyFile).

Commands:
  check [paths…]     analyse files and folders, report findings (exit 1 if any)
  lsp --stdio        run the language server over stdin/stdout (--node-ipc for VS Code)
  bench              benchmark a transfer (not yet available)

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
