/**
 * "No fix, because …": a rewrite that cannot prove itself safe stops by throwing NoFix with the
 * reason, which fixesFor reports. Any other exception is a bug and propagates.
 */
export class NoFix extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'NoFix';
  }
}

export function refuse(reason: string): never {
  throw new NoFix(reason);
}
