/** What the harness tells the suite: the findings the engine expects, by file relative to the workspace folder. */
export interface ExpectedFinding {
  /** 0-based, as in the API. */
  line: number;
  character: number;
  rule: string;
  recommendation: string;
}

export interface SuiteConfig {
  expected: Record<string, ExpectedFinding[]>;
  /** Where the runner extension writes the results (the code-server route). */
  resultsPath?: string;
}

/** Set by runTest.ts (the @vscode/test-electron route): a JSON file holding a SuiteConfig. */
export const CONFIG_VARIABLE = 'ZC_API_SUITE_CONFIG';
