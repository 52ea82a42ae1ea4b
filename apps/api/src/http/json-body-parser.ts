import type { FastifyInstance } from 'fastify';

/** Deeper bodies are refused before anything walks them recursively (validation, transforms). */
export const MAX_JSON_DEPTH = 32;

/**
 * Replaces Fastify's JSON parser with the same secure parser (prototype-poisoning keys refused)
 * plus a nesting limit checked iteratively, so a hostile body of ten thousand brackets is a 400
 * instead of a stack overflow further in.
 */
export function installJsonBodyParser(fastify: FastifyInstance): void {
  const parse = fastify.getDefaultJsonParser('error', 'error');
  fastify.removeContentTypeParser('application/json');
  fastify.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = body as string;
    // A bodiless command (submit, close) sent with a JSON content type: no body, not an error.
    if (text.trim() === '') {
      done(null, undefined);
      return;
    }
    if (exceedsDepth(text, MAX_JSON_DEPTH)) {
      const error = Object.assign(new Error(`JSON nested deeper than ${MAX_JSON_DEPTH} levels`), {
        statusCode: 400,
      });
      done(error, undefined);
      return;
    }
    parse(request, text, done);
  });
}

/** Counts bracket depth outside strings without parsing. */
function exceedsDepth(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > max) return true;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return false;
}
