import { creditCodeCheckCharacter } from '@engine/platform/identity/credit-code';

/** Completes 17 characters (or 18, replacing the last) into a valid unified social credit code. */
export function creditCode(first: string): string {
  const first17 = first.slice(0, 17);
  return first17 + creditCodeCheckCharacter(first17);
}
