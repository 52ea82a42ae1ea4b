import { type PipeTransform, type ArgumentMetadata } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { registerDecorator, type ValidationOptions } from 'class-validator';
import { errorResponse } from '@engine/platform';
import { HttpError } from './http-error';

/**
 * Text at the edge (docs/security.md, Text): what may be stored in a text field, and how long
 * it may be. Every string of every body and query, at any depth (application data included),
 * is checked by {@link TextSafetyPipe}; {@link IsText} adds per-field lengths counted in
 * characters (code points, so 营业收入数据不实 is 8) and shows them in the OpenAPI schema.
 */

/**
 * Characters no text field may hold: C0 controls other than tab, line feed and carriage return
 * (U+0000 among them: PostgreSQL cannot store it), DEL and the C1 controls, the bidirectional
 * overrides and isolates (text that displays other than it reads), the noncharacters U+FFFE and
 * U+FFFF, and surrogates without their pair (not Unicode text; stored as U+FFFD elsewhere).
 */
const FORBIDDEN =
  // eslint-disable-next-line no-control-regex -- finding control characters is the point
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Line breaks and tabs: allowed in free text (reasons, grounds), not in single-line fields. */
const LINE_BREAKS = /[\t\n\r\u2028\u2029]/;

/** What is wrong with a string as text, or undefined when nothing is. */
export function textProblem(value: string, multiline = true): string | undefined {
  const bad = FORBIDDEN.exec(value) ?? (multiline ? null : LINE_BREAKS.exec(value));
  if (!bad) return undefined;
  const code = bad[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0');
  return code >= 'D800' && code <= 'DFFF'
    ? `contains an unpaired surrogate (U+${code}): not valid Unicode text`
    : `contains a control character (U+${code})`;
}

/** The length of a string in characters (code points), not UTF-16 units. */
export const characters = (value: string): number => {
  let n = 0;
  for (const _ of value) n++;
  return n;
};

const MAX_WALK = 10_000;

/** Every string (and object key) of a parsed body or query with a problem, by field path. */
export function findTextProblems(value: unknown): { field: string; message: string }[] {
  const problems: { field: string; message: string }[] = [];
  let visited = 0;
  const walk = (item: unknown, path: string) => {
    if (++visited > MAX_WALK || problems.length >= 20) return;
    if (typeof item === 'string') {
      const problem = textProblem(item);
      if (problem) problems.push({ field: path || '(body)', message: problem });
    } else if (Array.isArray(item)) {
      item.forEach((child, index) => walk(child, `${path}[${index}]`));
    } else if (item !== null && typeof item === 'object') {
      for (const [key, child] of Object.entries(item)) {
        const field = path ? `${path}.${key}` : key;
        const problem = textProblem(key, false);
        if (problem)
          problems.push({ field: `${path || '(body)'} key`, message: `a property name ${problem}` });
        else walk(child, field);
      }
    }
  };
  walk(value, '');
  return problems;
}

/**
 * Global pipe before validation: a body or query holding a forbidden character anywhere is
 * 400 VALIDATION_FAILED naming the field, before any handler, event or projection sees it.
 */
export class TextSafetyPipe implements PipeTransform {
  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    if (metadata.type !== 'body' && metadata.type !== 'query') return value;
    const problems = findTextProblems(value);
    if (problems.length > 0) {
      throw new HttpError(
        errorResponse(
          400,
          'VALIDATION_FAILED',
          problems.map((p) => `${p.field}: ${p.message}`).join('; '),
          problems,
        ),
      );
    }
    return value;
  }
}

export interface TextOptions {
  /** Fewest characters (code points). Default 1. */
  min?: number;
  /** Most characters (code points). */
  max: number;
  /** Line breaks and tabs allowed (free text). Default false: a single line (names, titles). */
  multiline?: boolean;
  /** An array of such strings. */
  each?: boolean;
}

/**
 * A text field: a string of `min` to `max` characters, counted as characters (a Chinese
 * sentence of 8 characters is 8), free of control characters, on one line unless `multiline`.
 * Shows `minLength`/`maxLength` in the OpenAPI schema.
 */
export function IsText(options: TextOptions, validation?: ValidationOptions): PropertyDecorator {
  const min = options.min ?? 1;
  const { max, multiline = false, each = false } = options;
  const schema = each
    ? { items: { type: 'string', minLength: min, maxLength: max } }
    : { minLength: min, maxLength: max };
  const swagger = ApiProperty(schema as never);
  return (target, propertyName) => {
    swagger(target, propertyName);
    registerDecorator({
      name: 'isText',
      target: target.constructor,
      propertyName: propertyName as string,
      options: { ...validation, each },
      validator: {
        validate: (value: unknown) =>
          typeof value === 'string' &&
          characters(value) >= min &&
          characters(value) <= max &&
          textProblem(value, multiline) === undefined,
        defaultMessage: (args) => {
          const value: unknown = args?.value;
          if (typeof value !== 'string') return 'must be a string';
          const n = characters(value);
          if (n < min || n > max)
            return min === max
              ? `must be ${min} characters (is ${n})`
              : `must be ${min} to ${max} characters (is ${n})`;
          return textProblem(value, multiline) ?? 'is not valid text';
        },
      },
    });
  };
}
