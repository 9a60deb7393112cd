/**
 * The version of the `zerocopy` runtime this product ships: a fix that imports it adds this
 * version to the project's package.json. The runtime is never bundled (scripts/build.mjs), so its
 * own package.json sits beside the code: dist/node_modules/zerocopy in a package, the workspace
 * link node_modules/zerocopy -> native/ in this repository.
 */
let version: string | undefined;

export function bundledRuntimeVersion(): string {
  version ??= (require('zerocopy/package.json') as { version: string }).version;
  return version;
}
