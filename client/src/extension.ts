// TEMPORARY placeholder so the solution builds; the VS Code client replaces it.
export function activate(): void {}
export function deactivate(): void {}
