// TEMPORARY entry so the bundle builds; the CLI replaces it.
console.log('zerocopy: not built yet');
