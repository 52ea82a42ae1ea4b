import type { FastifyInstance } from 'fastify';
import sjson from 'secure-json-parse';

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/** Deeper bodies are refused before anything walks them recursively (validation, transforms). */
export const MAX_JSON_DEPTH = 32;

/**
 * Replaces Fastify's JSON parser with the same secure parser (secure-json-parse: prototype-poisoning keys refused, and said so)
 * plus a nesting limit checked iteratively, so a hostile body of ten thousand brackets is a 400
 * instead of a stack overflow further in.
 */
export function installJsonBodyParser(fastify: FastifyInstance): void {
  fastify.removeContentTypeParser('application/json');
  fastify.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body, done) => {
    // Invalid UTF-8 is refused, never turned into U+FFFD replacement characters silently.
    let text: string;
    try {
      text = utf8.decode(body as Buffer);
    } catch {
      done(Object.assign(new Error('the body is not valid UTF-8'), { statusCode: 400 }), undefined);
      return;
    }
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
    try {
      done(null, sjson.parse(text, null, { protoAction: 'error', constructorAction: 'error' }));
    } catch (error) {
      const message = (error as Error).message;
      // Say which: a prototype key is not a syntax error, and the client should know.
      const why = /forbidden (prototype|constructor) property/i.test(message)
        ? 'the body holds a forbidden property name (__proto__ or constructor.prototype)'
        : `the body is not valid JSON: ${message}`;
      done(Object.assign(new Error(why), { statusCode: 400, code: 'INVALID_JSON' }), undefined);
    }
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
