import { Inject, Injectable } from '@nestjs/common';
import { v5 as uuidv5 } from 'uuid';
import { EventStore, WrongExpectedRevisionError } from '@engine/event-store';
import { Clock } from '@engine/platform';
import {
  type DocumentNumber,
  type DocumentNumberReservedData,
  documentNumberStream,
  parseDocumentNumber,
} from '../../domain/documents/document-number';
import { conflict, invalid } from '../../domain/shared/domain-error';
import type { CommandContext } from '../../infrastructure/command-context';
import type { PolicySummary } from '../policy-lookup';

/** The document number (文号) and issuing bureau an officer gives a notice (docs/documents.md). */
export interface NoticeInput {
  documentNumber: string;
  /** The bureau printed on the notice; the policy's issuer when absent. */
  issuer?: string;
}

/**
 * The notice an officer asked for, checked: a well-formed number of the year it is issued in
 * (a 文号 carries its issuing year), and the bureau that issues it (the policy's issuer unless
 * the officer names another, e.g. a local bureau publicising under a ministry's policy).
 */
export function noticeFor(
  notice: NoticeInput,
  policy: PolicySummary,
  today: string,
): { number: DocumentNumber; issuer: string } {
  const parsed = parseDocumentNumber(notice.documentNumber);
  if (!parsed.ok) {
    throw invalid('DOCUMENT_NUMBER_INVALID', `documentNumber ${parsed.message}`, [
      { field: 'documentNumber', message: parsed.message },
    ]);
  }
  const year = Number(today.slice(0, 4));
  if (parsed.value.year !== year) {
    throw invalid('DOCUMENT_NUMBER_INVALID', `a document issued in ${year} carries the year ${year}`, [
      { field: 'documentNumber', message: `must carry the year of issue, 〔${year}〕` },
    ]);
  }
  return { number: parsed.value, issuer: notice.issuer?.trim() || policy.issuer.zh };
}

const RESERVATION_NAMESPACE = '5d0c6f1e-8a43-4b7e-9f21-3c6a9e0b4d58';

/**
 * Who holds a document number (文号). A number is unique per issuing bureau and year: its
 * reservation is the first event of the stream `document-number-<number>`, appended at
 * expected revision "no stream", so of two bureaus' officers typing the same number at once
 * exactly one wins, on every event store backend, without a side table.
 *
 * The reservation is made after the round's decision succeeded and before the round's event is
 * appended. A retry of the same use (same round, same purpose) finds its own reservation and
 * goes on, so a crash between the two appends never locks a round out of its number.
 */
@Injectable()
export class DocumentNumberRegistry {
  constructor(
    @Inject(EventStore) private readonly store: EventStore,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  async reserve(
    number: DocumentNumber,
    use: { purpose: DocumentNumberReservedData['purpose']; roundId: string },
    context: CommandContext,
  ): Promise<void> {
    const stream = documentNumberStream(number);
    const data: DocumentNumberReservedData = {
      documentNumber: number.text,
      issuer: number.issuer,
      year: number.year,
      sequence: number.sequence,
      purpose: use.purpose,
      roundId: use.roundId,
    };
    try {
      await this.store.append(
        stream,
        [
          {
            // The same use of the same number is the same event: a repeat is a no-op.
            id: uuidv5(`${number.text}\n${use.purpose}\n${use.roundId}`, RESERVATION_NAMESPACE),
            type: 'DocumentNumberReserved',
            data,
            metadata: {
              correlationId: context.correlationId,
              causationId: context.causationId ?? context.correlationId,
              actor: context.actor,
              occurredAt: this.clock.now().toISOString(),
            },
          },
        ],
        'no-stream',
      );
    } catch (error) {
      if (!(error instanceof WrongExpectedRevisionError)) throw error;
      const [first] = await this.store.readStream<DocumentNumberReservedData>(stream);
      if (first?.data.roundId === use.roundId && first.data.purpose === use.purpose) return;
      throw conflict('DOCUMENT_NUMBER_TAKEN', `document number ${number.text} has already been issued`, {
        documentNumber: number.text,
        purpose: first?.data.purpose,
      });
    }
  }
}
