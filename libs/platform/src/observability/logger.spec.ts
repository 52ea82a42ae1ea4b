import { createLogger, PinoNestLogger } from './logger';
import { correlationIdFrom, currentCorrelationId, runWithCorrelation } from './correlation';

function capture(level: 'info' | 'debug' | 'trace' = 'info') {
  const lines: string[] = [];
  const logger = createLogger({
    service: 'test',
    level,
    destination: { write: (l: string) => void lines.push(l) },
  });
  return { logger, logs: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>) };
}

describe('the JSON logger', () => {
  it('writes one object per line: level as a word, ISO time, service, pid and hostname', () => {
    const { logger, logs } = capture();
    logger.info({ n: 1 }, 'hello');
    expect(logs()).toEqual([
      {
        level: 'info',
        time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
        service: 'test',
        pid: process.pid,
        hostname: expect.any(String),
        n: 1,
        msg: 'hello',
      },
    ]);
  });

  it('adds the correlation id of the work in progress, across awaits, and only there', async () => {
    const { logger, logs } = capture();
    await runWithCorrelation('corr-1', async () => {
      await new Promise((resolve) => setTimeout(resolve, 1));
      expect(currentCorrelationId()).toBe('corr-1');
      logger.info('inside');
    });
    logger.info('outside');
    expect(logs().map((log) => [log.msg, log.correlationId])).toEqual([
      ['inside', 'corr-1'],
      ['outside', undefined],
    ]);
  });

  it('never writes credentials, even when a caller logs them by mistake', () => {
    const { logger, logs } = capture();
    logger.info(
      { headers: { authorization: 'Bearer abc.def.ghi', cookie: 'sid=1' }, token: 't0k3n' },
      'oops',
    );
    const text = JSON.stringify(logs());
    expect(text).not.toContain('abc.def.ghi');
    expect(text).not.toContain('sid=1');
    expect(text).not.toContain('t0k3n');
    expect(logs()[0]).toMatchObject({ headers: { authorization: '[redacted]' }, token: '[redacted]' });
  });

  it('accepts a caller correlation id only when it is short and plain', () => {
    expect(correlationIdFrom('abc-123_x.y:z')).toBe('abc-123_x.y:z');
    expect(correlationIdFrom(['first', 'second'])).toBe('first');
    for (const bad of [undefined, '', 'has space', 'x'.repeat(129), 'ünï', 'a\nb']) {
      expect(correlationIdFrom(bad)).toMatch(/^[0-9a-f-]{36}$/);
    }
  });
});

describe("Nest's logger on top of it", () => {
  it("maps Nest's calls: context last, error's stack before it, verbose as trace", () => {
    const { logger, logs } = capture('trace');
    const nest = new PinoNestLogger(logger);
    nest.log('started', 'NestApplication');
    nest.warn('careful', 'Worker');
    nest.error('failed', 'Error: failed\n    at somewhere (file.ts:1:1)', 'HTTP');
    nest.error('Error: thrown\n    at here (file.ts:2:2)', undefined, 'HTTP'); // Logger('HTTP').error(stack)
    nest.verbose('details', 'Projections');
    nest.debug('more', 'Projections');
    nest.fatal('gone');
    expect(logs()).toEqual([
      expect.objectContaining({ level: 'info', context: 'NestApplication', msg: 'started' }),
      expect.objectContaining({ level: 'warn', context: 'Worker', msg: 'careful' }),
      expect.objectContaining({
        level: 'error',
        context: 'HTTP',
        msg: 'failed',
        stack: expect.stringContaining('at somewhere'),
      }),
      expect.objectContaining({
        level: 'error',
        context: 'HTTP',
        msg: 'Error: thrown',
        stack: expect.stringContaining('at here'),
      }),
      expect.objectContaining({ level: 'trace', context: 'Projections', msg: 'details' }),
      expect.objectContaining({ level: 'debug', context: 'Projections', msg: 'more' }),
      expect.objectContaining({ level: 'fatal', msg: 'gone' }),
    ]);
  });

  it('turns a JSON object message (as the auth guard writes) or an object into fields, and an Error into err', () => {
    const { logger, logs } = capture();
    const nest = new PinoNestLogger(logger);
    nest.warn(JSON.stringify({ event: 'access-refused', status: 401, target: 'GET /v1/x' }), 'Security');
    nest.log({ message: 'projected', position: 12 }, 'Projections');
    nest.error(new Error('broken'), undefined, 'HTTP');
    expect(logs()).toEqual([
      expect.objectContaining({
        context: 'Security',
        event: 'access-refused',
        status: 401,
        msg: 'access-refused',
      }),
      expect.objectContaining({ context: 'Projections', position: 12, msg: 'projected' }),
      expect.objectContaining({
        context: 'HTTP',
        msg: 'broken',
        err: expect.objectContaining({ type: 'Error', message: 'broken' }),
      }),
    ]);
  });

  it('writes nothing below the level, nor anything at all when silent', () => {
    const info = capture();
    new PinoNestLogger(info.logger).debug('hidden', 'X');
    expect(info.logs()).toEqual([]);
    const lines: string[] = [];
    const silent = createLogger({
      service: 't',
      level: 'silent',
      destination: { write: (l: string) => void lines.push(l) },
    });
    new PinoNestLogger(silent).error('nothing', undefined, 'X');
    silent.fatal('nothing either');
    expect(lines).toEqual([]);
  });
});
