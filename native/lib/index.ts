// TEMPORARY placeholder so the solution builds; the zerocopy runtime replaces it.
export const available = { loaded: false, reason: 'not built yet' };
