import {
  AccessDeniedError,
  type AllStreamResolvedEvent,
  DeadlineExceededError,
  type EventData,
  jsonEvent,
  MaxAppendSizeExceededError,
  NO_STREAM,
  StreamNotFoundError,
  UnavailableError,
  UnknownError,
  WrongExpectedVersionError,
} from '@kurrent/kurrentdb-client';
import {
  EventStoreUnavailableError,
  IdempotencyConflictError,
  InvalidEventError,
  WrongExpectedRevisionError,
} from '../../event-store.errors';
import type { PreparedEvent, RawStoredEvent } from '../../event-store.port';
import { expectationHolds, findRetry as findStoredRetry } from '../../append-plan';
import { canonicalJson, ChainVerifier, computeEventHash, GENESIS_HASH } from '../../hash-chain';
import {
  actualRevisionOf,
  buildStoredMetadata,
  hashedMetadata,
  isInvalidPositionError,
  isStreamNotFound,
  isSystemEvent,
  isWrongExpectedVersion,
  matchesFilter,
  parseStoredMetadata,
  positionOf,
  positionToNumber,
  recordedAtMillis,
  revisionToNumber,
  serverFilterFor,
  toEventData,
  toKnownEvent,
  toRawStoredEvent,
  toReadPosition,
  toStoreError,
  toStreamState,
  toWrongExpectedRevision,
} from './kurrentdb-mapping';

const RECORDED_AT = '2026-02-01T01:02:03.004Z';

/** The port's retry lookup over events as this adapter reads them back from a stream's tail. */
function findRetry(stream: string, events: PreparedEvent[], found: Map<string, RawStoredEvent>) {
  const known = new Map([...found].map(([id, event]) => [id, toKnownEvent(event)]));
  const last = findStoredRetry(stream, events, known);
  return last && { nextRevision: last.revision, position: last.position };
}

function prepared(id: string, type: string, data: unknown, schemaVersion = 1): PreparedEvent {
  return {
    id,
    type,
    schemaVersion,
    data,
    dataJson: canonicalJson(data),
    metadata: {
      correlationId: 'corr-1',
      causationId: 'cause-1',
      actor: { sub: 'officer-1', role: 'officer' },
      occurredAt: '2026-01-05T08:00:00.000Z',
    },
  };
}

/** Hashes and maps events exactly as the adapter's append does. */
function chain(
  stream: string,
  events: PreparedEvent[],
  firstRevision = 0,
  previous = GENESIS_HASH,
): EventData[] {
  let previousHash = previous;
  return events.map((event, index) => {
    const hash = computeEventHash({
      previousHash,
      id: event.id,
      stream,
      revision: firstRevision + index,
      type: event.type,
      schemaVersion: event.schemaVersion,
      dataJson: event.dataJson,
      metadata: hashedMetadata(event, RECORDED_AT),
    });
    previousHash = hash;
    return toEventData(event, buildStoredMetadata(event, index, RECORDED_AT, hash));
  });
}

/**
 * What the client yields for a stored EventData: the server keeps the bytes the client sent
 * (JSON.stringify of data and metadata) and the client JSON.parses them back on read.
 */
function stored(data: EventData, stream: string, revision: number, position: number): AllStreamResolvedEvent {
  const roundTrip = (value: unknown) => (value === undefined ? undefined : JSON.parse(JSON.stringify(value)));
  return {
    event: {
      streamId: stream,
      id: data.id,
      revision: BigInt(revision),
      type: data.type,
      isJson: true,
      created: new Date('2026-02-01T01:02:04.000Z'),
      data: roundTrip(data.data),
      metadata: roundTrip(data.metadata),
      position: { commit: BigInt(position), prepare: BigInt(position) },
    },
    commitPosition: BigInt(position),
  };
}

const ID_A = '0b6c3f0e-0000-4000-8000-00000000000a';
const ID_B = '0b6c3f0e-0000-4000-8000-00000000000b';
const ID_C = '0b6c3f0e-0000-4000-8000-00000000000c';

describe('KurrentDB mapping: revisions', () => {
  it('sends NO_STREAM for a stream we read as absent and the exact bigint revision otherwise', () => {
    expect(toStreamState(-1)).toBe(NO_STREAM);
    expect(toStreamState(0)).toBe(0n);
    expect(toStreamState(41)).toBe(41n);
  });

  it('reports the actual revision of a lost race: bigint as number, no stream as -1', () => {
    expect(actualRevisionOf(7n)).toBe(7);
    expect(actualRevisionOf(NO_STREAM)).toBe(-1);
    expect(actualRevisionOf(undefined)).toBe(-1);
    expect(actualRevisionOf(-5n)).toBe(-1); // deleted-stream markers are not revisions
  });

  it('converts revisions exactly and refuses those a number cannot hold', () => {
    expect(revisionToNumber(0n)).toBe(0);
    expect(revisionToNumber(BigInt(Number.MAX_SAFE_INTEGER))).toBe(Number.MAX_SAFE_INTEGER);
    expect(() => revisionToNumber(BigInt(Number.MAX_SAFE_INTEGER) + 1n)).toThrow(EventStoreUnavailableError);
  });

  it('checks an expectation as SQLite does: no-stream is -1, a number must be equal, any always holds', () => {
    expect(expectationHolds('no-stream', -1)).toBe(true);
    expect(expectationHolds('no-stream', 0)).toBe(false);
    expect(expectationHolds(3, 3)).toBe(true);
    expect(expectationHolds(3, 4)).toBe(false);
    expect(expectationHolds(0, -1)).toBe(false);
    expect(expectationHolds('any', -1)).toBe(true);
    expect(expectationHolds('any', 12)).toBe(true);
  });
});

describe('KurrentDB mapping: positions', () => {
  it('uses the commit position as the global position and refuses positions above 2^53 - 1', () => {
    expect(positionToNumber(123_456n)).toBe(123_456);
    expect(positionToNumber(BigInt(Number.MAX_SAFE_INTEGER))).toBe(Number.MAX_SAFE_INTEGER);
    expect(() => positionToNumber(BigInt(Number.MAX_SAFE_INTEGER) + 1n)).toThrow(/MAX_SAFE_INTEGER/);
  });

  it('reads from a port position with equal commit and prepare positions, never negative or fractional', () => {
    expect(toReadPosition(4096)).toEqual({ commit: 4096n, prepare: 4096n });
    expect(toReadPosition(10.5)).toEqual({ commit: 10n, prepare: 10n });
    expect(toReadPosition(-1)).toEqual({ commit: 0n, prepare: 0n });
  });

  it("takes an event's position from the recorded event, else from the resolved event's commit position", () => {
    const [data] = chain('s', [prepared(ID_A, 'A', {})]);
    const withBoth = stored(data, 's', 0, 900);
    expect(positionOf(withBoth)).toBe(900);
    const onlyCommit: AllStreamResolvedEvent = { ...withBoth, commitPosition: 901n };
    delete (onlyCommit.event as { position?: unknown }).position;
    expect(positionOf(onlyCommit)).toBe(901);
    const neither: AllStreamResolvedEvent = { event: onlyCommit.event };
    expect(() => positionOf(neither)).toThrow(EventStoreUnavailableError);
  });
});

describe('KurrentDB mapping: metadata and the hash chain', () => {
  it('writes a JSON event with our id, type and data, and metadata that feeds the native correlation projections', () => {
    const event = prepared(ID_A, 'RoundOpened', { quota: 177 }, 3);
    const [data] = chain('round-1', [event]);
    expect(data).toMatchObject({
      id: ID_A,
      contentType: 'application/json',
      type: 'RoundOpened',
      data: { quota: 177 },
    });
    expect(data.metadata).toEqual({
      correlationId: 'corr-1',
      causationId: 'cause-1',
      actor: { sub: 'officer-1', role: 'officer' },
      occurredAt: '2026-01-05T08:00:00.000Z',
      recordedAt: RECORDED_AT,
      schemaVersion: 3,
      hash: expect.stringMatching(/^[0-9a-f]{64}$/),
      $correlationId: 'corr-1',
      $causationId: 'cause-1',
    });
  });

  it('builds the same EventData the client’s own jsonEvent builds', () => {
    const event = prepared(ID_A, 'RoundOpened', { quota: 177 });
    const metadata = buildStoredMetadata(event, 0, RECORDED_AT, 'c'.repeat(64));
    expect(toEventData(event, metadata)).toEqual(
      jsonEvent({ id: ID_A, type: 'RoundOpened', data: { quota: 177 }, metadata: { ...metadata } }),
    );
  });

  it('keeps metadata the caller added beyond the required fields (idempotency key) through the round trip', () => {
    const event = prepared(ID_A, 'A', {});
    Object.assign(event.metadata, { idempotencyKey: 'key-1', requestHash: 'abc' });
    const storedMetadata = JSON.parse(
      JSON.stringify(buildStoredMetadata(event, 0, RECORDED_AT, 'c'.repeat(64))),
    );
    expect(parseStoredMetadata(storedMetadata)).toEqual({
      ok: true,
      metadata: { ...event.metadata, recordedAt: RECORDED_AT },
      schemaVersion: 1,
      hash: 'c'.repeat(64),
    });
  });

  it('reads back exactly the port event: metadata without our bookkeeping keys, schema version, hash', () => {
    const event = prepared(ID_A, 'RoundOpened', { quota: 177, 名称: '瞪羚' }, 3);
    const [data] = chain('round-1', [event]);
    const raw = toRawStoredEvent(stored(data, 'round-1', 0, 1500));
    expect(raw).toEqual({
      id: ID_A,
      stream: 'round-1',
      revision: 0,
      position: 1500,
      type: 'RoundOpened',
      schemaVersion: 3,
      data: { quota: 177, 名称: '瞪羚' },
      metadata: { ...event.metadata, recordedAt: RECORDED_AT },
      hash: (data.metadata as { hash: string }).hash,
    });
    expect(raw.corrupt).toBeUndefined();
  });

  it('round-trips into a chain the verifier accepts, although the client does not store canonical JSON', () => {
    // Integer-like keys are reordered by JSON.parse/stringify; the hash covers the canonical form.
    const events = [
      prepared(ID_A, 'A', { b: 1, a: [1, 2], '10': 'x', '2': 'y' }),
      prepared(ID_B, 'B', { text: '无锡高新区「𠮷」', n: 1e21, small: 5e-7 }),
    ];
    expect(JSON.stringify(events[0].data)).not.toBe(events[0].dataJson);
    const written = chain('application-1', events);
    const verifier = new ChainVerifier();
    written.forEach((data, i) =>
      verifier.add(toRawStoredEvent(stored(data, 'application-1', i, 100 + i * 50))),
    );
    expect(verifier.result()).toEqual({ ok: true, streams: 1, events: 2 });
  });

  it('lets the verifier name the event whose stored data was changed', () => {
    const written = chain('application-1', [prepared(ID_A, 'A', { n: 1 }), prepared(ID_B, 'B', { n: 2 })]);
    const tampered = stored(written[1], 'application-1', 1, 150);
    (tampered.event!.data as { n: number }).n = 3;
    const verifier = new ChainVerifier();
    verifier.add(toRawStoredEvent(stored(written[0], 'application-1', 0, 100)));
    verifier.add(toRawStoredEvent(tampered));
    expect(verifier.result().firstBreak).toEqual({
      stream: 'application-1',
      revision: 1,
      reason: 'hash-mismatch',
    });
  });

  it('refuses caller metadata that would collide with the keys the adapter adds', () => {
    const event = prepared(ID_A, 'A', {});
    (event.metadata as unknown as Record<string, unknown>).hash = 'mine';
    expect(() => buildStoredMetadata(event, 2, RECORDED_AT, 'f'.repeat(64))).toThrow(InvalidEventError);
    expect(() => buildStoredMetadata(event, 2, RECORDED_AT, 'f'.repeat(64))).toThrow(
      /metadata\.hash is reserved/,
    );
  });

  it("overrides a caller's recordedAt with the store's clock, as SQLite does", () => {
    const event = prepared(ID_A, 'A', {});
    (event.metadata as unknown as Record<string, unknown>).recordedAt = '1999-01-01T00:00:00.000Z';
    expect(buildStoredMetadata(event, 0, RECORDED_AT, 'f'.repeat(64)).recordedAt).toBe(RECORDED_AT);
  });
});

describe('KurrentDB mapping: events not written by this adapter', () => {
  const foreign = (patch: (event: NonNullable<AllStreamResolvedEvent['event']>) => void): RawStoredEvent => {
    const [data] = chain('application-9', [prepared(ID_A, 'A', { n: 1 })]);
    const resolved = stored(data, 'application-9', 0, 700);
    patch(resolved.event!);
    return toRawStoredEvent(resolved);
  };

  it('flags metadata without hash or recordedAt as corrupt, and the verifier reports it unreadable', () => {
    const noHash = foreign((event) => delete (event.metadata as Record<string, unknown>).hash);
    expect(noHash.corrupt).toMatch(/hash/);
    const noRecordedAt = foreign((event) => delete (event.metadata as Record<string, unknown>).recordedAt);
    expect(noRecordedAt.corrupt).toMatch(/recordedAt/);
    const verifier = new ChainVerifier();
    verifier.add(noHash);
    expect(verifier.result().firstBreak).toEqual({
      stream: 'application-9',
      revision: 0,
      reason: 'unreadable',
    });
  });

  it('flags missing, non-JSON or non-object metadata and binary data as corrupt instead of throwing', () => {
    expect(foreign((event) => ((event as { metadata: unknown }).metadata = undefined)).corrupt).toMatch(
      /no metadata/,
    );
    expect(
      foreign((event) => ((event as { metadata: unknown }).metadata = new Uint8Array([1, 2]))).corrupt,
    ).toMatch(/not JSON/);
    expect(foreign((event) => ((event as { metadata: unknown }).metadata = ['x'])).corrupt).toMatch(
      /not an object/,
    );
    const binary = foreign((event) => {
      (event as { isJson: boolean }).isJson = false;
      (event as { data: unknown }).data = new Uint8Array([0xff]);
    });
    expect(binary).toMatchObject({ corrupt: 'the event data is not JSON', data: null });
  });

  it('skips system events: links, $-typed events, and any event of a $-stream', () => {
    const [data] = chain('application-1', [prepared(ID_A, 'A', {})]);
    const user = stored(data, 'application-1', 0, 10);
    expect(isSystemEvent(user)).toBe(false);
    expect(isSystemEvent({ ...user, event: { ...user.event!, type: '$>' } })).toBe(true);
    expect(
      isSystemEvent({ ...user, event: { ...user.event!, type: '$metadata', streamId: '$$application-1' } }),
    ).toBe(true);
    expect(
      isSystemEvent({
        ...user,
        event: { ...user.event!, type: 'Result', streamId: '$projections-x-result' },
      }),
    ).toBe(true);
    expect(isSystemEvent({ commitPosition: 10n })).toBe(true);
  });

  it("uses recordedAt for as-of reads, and the server's commit time for an event without one", () => {
    const [data] = chain('s', [prepared(ID_A, 'A', {})]);
    const ours = stored(data, 's', 0, 10);
    expect(recordedAtMillis(ours)).toBe(Date.parse(RECORDED_AT));
    delete (ours.event!.metadata as Record<string, unknown>).recordedAt;
    expect(recordedAtMillis(ours)).toBe(Date.parse('2026-02-01T01:02:04.000Z'));
  });
});

describe('KurrentDB mapping: filters', () => {
  it('lets the server filter stream prefixes when given, else event types, else system events', () => {
    expect(serverFilterFor({ streamPrefixes: ['application-'], types: ['A'] })).toMatchObject({
      filterOn: 'streamName',
      prefixes: ['application-'],
    });
    expect(serverFilterFor({ types: ['Odd', 'Third'] })).toMatchObject({
      filterOn: 'eventType',
      prefixes: ['Odd', 'Third'],
    });
    expect(serverFilterFor(undefined)).toMatchObject({ filterOn: 'eventType', regex: '^[^$].*' });
    expect(serverFilterFor({ types: [], streamPrefixes: [] })).toMatchObject({ regex: '^[^$].*' });
  });

  it('applies the whole filter exactly on the client: a type prefix match is not a type match', () => {
    const filter = { types: ['Odd'], streamPrefixes: ['t1-round-', 't1-app'] };
    expect(matchesFilter({ type: 'Odd', stream: 't1-round-3' }, filter)).toBe(true);
    expect(matchesFilter({ type: 'Odd', stream: 't1-application-2' }, filter)).toBe(true);
    expect(matchesFilter({ type: 'OddOne', stream: 't1-round-3' }, filter)).toBe(false);
    expect(matchesFilter({ type: 'Odd', stream: 't2-round-3' }, filter)).toBe(false);
    expect(matchesFilter({ type: 'Anything', stream: 'any' }, {})).toBe(true);
  });
});

describe('KurrentDB mapping: recognising a retry', () => {
  const stream = 'application-1';
  const events = [prepared(ID_A, 'A', { n: 1 }), prepared(ID_B, 'B', { n: 2 })];
  const storedAt = (event: PreparedEvent, revision: number, position: number, data: unknown = event.data) =>
    toRawStoredEvent(
      stored(
        toEventData({ ...event, data }, buildStoredMetadata(event, 0, RECORDED_AT, 'a'.repeat(64))),
        stream,
        revision,
        position,
      ),
    );

  it('is not a retry when none of the ids is in the tail', () => {
    expect(findRetry(stream, events, new Map())).toBeUndefined();
  });

  it('returns the first append’s result when all ids are found contiguous, in order, with the same content', () => {
    const found = new Map([
      [ID_A, storedAt(events[0], 4, 400)],
      [ID_B, storedAt(events[1], 5, 460)],
    ]);
    expect(findRetry(stream, events, found)).toEqual({ nextRevision: 5, position: 460 });
  });

  it('compares data canonically, so key order in the stored JSON does not matter', () => {
    const event = prepared(ID_C, 'C', { a: 1, b: { d: 2, c: 3 } });
    const found = new Map([[ID_C, storedAt(event, 0, 10, { b: { c: 3, d: 2 }, a: 1 })]]);
    expect(findRetry(stream, [event], found)).toEqual({ nextRevision: 0, position: 10 });
  });

  it('refuses a partial match, another order, a gap, other content or another type', () => {
    const conflict =
      (found: Map<string, RawStoredEvent>, list = events) =>
      () =>
        findRetry(stream, list, found);
    expect(conflict(new Map([[ID_A, storedAt(events[0], 4, 400)]]))).toThrow(IdempotencyConflictError);
    expect(
      conflict(
        new Map([
          [ID_A, storedAt(events[0], 5, 460)],
          [ID_B, storedAt(events[1], 4, 400)],
        ]),
      ),
    ).toThrow(IdempotencyConflictError);
    expect(
      conflict(
        new Map([
          [ID_A, storedAt(events[0], 4, 400)],
          [ID_B, storedAt(events[1], 6, 500)],
        ]),
      ),
    ).toThrow(IdempotencyConflictError);
    expect(conflict(new Map([[ID_A, storedAt(events[0], 0, 10, { n: 99 })]]), [events[0]])).toThrow(
      IdempotencyConflictError,
    );
    expect(
      conflict(new Map([[ID_A, storedAt(prepared(ID_A, 'Other', { n: 1 }), 0, 10)]]), [events[0]]),
    ).toThrow(expect.objectContaining({ code: 'IDEMPOTENCY_CONFLICT', stream, eventId: ID_A }));
  });
});

describe('KurrentDB mapping: errors', () => {
  it("recognises the client's WrongExpectedVersionError and carries the server's actual revision", () => {
    const lost = new WrongExpectedVersionError(undefined, { streamName: 's', expected: 0n, current: 3n });
    expect(isWrongExpectedVersion(lost)).toBe(true);
    const mapped = toWrongExpectedRevision(lost, 's', 0);
    expect(mapped).toBeInstanceOf(WrongExpectedRevisionError);
    expect(mapped).toMatchObject({ stream: 's', expected: 0, actual: 3, code: 'WRONG_EXPECTED_REVISION' });

    const noStream = new WrongExpectedVersionError(undefined, {
      streamName: 's',
      expected: 2n,
      current: NO_STREAM,
    });
    expect(toWrongExpectedRevision(noStream, 's', 2)).toMatchObject({ expected: 2, actual: -1 });
    expect(isWrongExpectedVersion(new UnavailableError())).toBe(false);
  });

  it('treats StreamNotFound as an empty stream and nothing else', () => {
    expect(isStreamNotFound(new StreamNotFoundError(undefined, 'application-1'))).toBe(true);
    expect(isStreamNotFound(new UnavailableError())).toBe(false);
    expect(isStreamNotFound(new Error('stream not found'))).toBe(false);
  });

  it('maps unavailability, timeouts, access problems and raw gRPC errors to EventStoreUnavailableError with the cause', () => {
    const grpc = Object.assign(new Error('14 UNAVAILABLE: No connection established'), { code: 14 });
    for (const error of [
      new UnavailableError(),
      new DeadlineExceededError(),
      new AccessDeniedError(),
      grpc,
    ]) {
      const mapped = toStoreError(error, 'append to s');
      expect(mapped).toBeInstanceOf(EventStoreUnavailableError);
      expect(mapped.code).toBe('EVENT_STORE_UNAVAILABLE');
      expect(mapped.message).toMatch(/^KurrentDB append to s failed/);
      expect((mapped as { cause?: unknown }).cause).toBe(error);
    }
  });

  it("maps the server's size refusal to InvalidEventError and lets the port's own errors through", () => {
    expect(toStoreError(MaxAppendSizeExceededError.fromMaxAppendSize(1_048_576), 'append')).toMatchObject({
      constructor: InvalidEventError,
      field: 'events',
      message: expect.stringContaining('1048576 bytes'),
    });
    const ours = new WrongExpectedRevisionError('s', 1, 2);
    expect(toStoreError(ours, 'append')).toBe(ours);
  });

  it('takes only an unknown/invalid-argument read failure as an invalid start position, never a transport failure', () => {
    expect(
      isInvalidPositionError(new UnknownError(undefined, 'Trying to read from an invalid position.')),
    ).toBe(true);
    expect(isInvalidPositionError(new UnavailableError())).toBe(false);
    expect(isInvalidPositionError(new DeadlineExceededError())).toBe(false);
    expect(isInvalidPositionError(new AccessDeniedError())).toBe(false);
  });
});
