import * as vscode from 'vscode';
import { RULE_IDS, ruleDocPath, type RuleId } from '../../../server/src/protocol';

interface RulePick extends vscode.QuickPickItem {
  rule: RuleId;
}

/**
 * "Show Rule Docs": pick a rule (or pass its id) and read its page, which ships inside the
 * extension, in VS Code's Markdown preview. Works offline and in Restricted Mode.
 */
export async function showRuleDocs(extensionUri: vscode.Uri, rule?: unknown): Promise<RuleId | undefined> {
  const chosen = isRuleId(rule) ? rule : await pickRule(extensionUri);
  if (!chosen) return undefined;
  const page = vscode.Uri.joinPath(extensionUri, ruleDocPath(chosen));
  await vscode.commands.executeCommand('markdown.showPreview', page);
  return chosen;
}

function isRuleId(value: unknown): value is RuleId {
  return typeof value === 'string' && (RULE_IDS as readonly string[]).includes(value);
}

async function pickRule(extensionUri: vscode.Uri): Promise<RuleId | undefined> {
  const items = await Promise.all(
    RULE_IDS.map(async (rule): Promise<RulePick> => ({ rule, label: rule, detail: await docTitle(extensionUri, rule) })),
  );
  const picked = await vscode.window.showQuickPick(items, {
    title: 'Zero-Copy: rule documentation',
    placeHolder: 'Pick a rule to read its documentation',
    matchOnDetail: true,
  });
  return picked?.rule;
}

/** The page's first heading, so the list says what each rule finds without a second copy of it. */
async function docTitle(extensionUri: vscode.Uri, rule: RuleId): Promise<string | undefined> {
  try {
    const bytes = await vscode.workspace.fs.readFile(vscode.Uri.joinPath(extensionUri, ruleDocPath(rule)));
    const heading = new TextDecoder().decode(bytes).match(/^#\s+(.+)$/m)?.[1]?.trim();
    // A heading that merely repeats the id adds nothing next to the label.
    return heading && heading.replace(/`/g, '') !== rule ? heading.replace(/`/g, '') : undefined;
  } catch {
    return undefined;
  }
}
