/**
 * `workspace/executeCommand`: one handler per command id, so that each feature registers its own
 * commands and the connection has one dispatcher (LSP allows one executeCommand handler).
 */
import { ResponseError, ErrorCodes } from 'vscode-languageserver/node';
import type { Cancellation } from './analyzeWorkspace';

export type CommandHandler = (args: unknown[], token: Cancellation, workDoneToken: string | number | undefined) => Promise<unknown> | unknown;

export class CommandDispatcher {
  private readonly handlers = new Map<string, CommandHandler>();

  register(command: string, handler: CommandHandler): void {
    this.handlers.set(command, handler);
  }

  get commands(): string[] {
    return [...this.handlers.keys()];
  }

  async execute(command: string, args: unknown[] | undefined, token: Cancellation, workDoneToken: string | number | undefined): Promise<unknown> {
    const handler = this.handlers.get(command);
    if (!handler) throw new ResponseError(ErrorCodes.InvalidParams, `unknown command ${command}`);
    return handler(args ?? [], token, workDoneToken);
  }
}
