/**
 * How personal data is shown to those who may not see it in full (docs/privacy.md): enough
 * to tell two records apart or recognise one's own, not enough to identify a person.
 * Every function accepts anything and never throws; what it cannot recognise it masks whole.
 */

/** `320102199001011234` → `3201**********1234`: the province and city of issue, the last 4. */
export function maskIdNumber(value: unknown): string {
  const id = typeof value === 'string' ? value.trim() : '';
  if (id.length < 10) return '*'.repeat(Math.max(id.length, 1));
  return `${id.slice(0, 4)}${'*'.repeat(id.length - 8)}${id.slice(-4)}`;
}

/** `13812345678` → `138****5678`; a +86 / 86 prefix is dropped first. */
export function maskPhone(value: unknown): string {
  const digits = (typeof value === 'string' ? value : '')
    .replace(/[\s-]/g, '')
    .replace(/^(\+?86)(?=1\d{10}$)/, '');
  if (digits.length < 7) return '*'.repeat(Math.max(digits.length, 1));
  return `${digits.slice(0, 3)}${'*'.repeat(digits.length - 7)}${digits.slice(-4)}`;
}

/** `张三` → `张*`, `欧阳娜娜` → `欧***`, `John Smith` → `J*********`: the first character. */
export function maskName(value: unknown): string {
  const chars = [...(typeof value === 'string' ? value.trim() : '')];
  if (chars.length === 0) return '*';
  return `${chars[0]}${'*'.repeat(Math.max(chars.length - 1, 1))}`;
}

/** The personal fields of an objector or contact person, masked. */
export function maskPerson(person: { name?: unknown; idNumber?: unknown; phone?: unknown }): {
  name?: string;
  idNumber?: string;
  phone?: string;
} {
  return {
    ...(person.name !== undefined ? { name: maskName(person.name) } : {}),
    ...(person.idNumber !== undefined ? { idNumber: maskIdNumber(person.idNumber) } : {}),
    ...(person.phone !== undefined ? { phone: maskPhone(person.phone) } : {}),
  };
}
