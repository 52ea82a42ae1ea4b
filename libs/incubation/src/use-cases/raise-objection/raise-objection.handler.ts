import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { chinaDate, Clock, isResidentIdNumber, isValidCreditCode, PersonalDataVault } from '@engine/platform';
import { roundDecider } from '../../domain/round/round.decider';
import { roundStream } from '../../domain/round/round.events';
import { conflict, invalid } from '../../domain/shared/domain-error';
import { Aggregates } from '../../infrastructure/handle-command';
import { objectionIdFor } from '../objection-ids';
import { RaiseObjectionCommand } from './raise-objection.command';

/**
 * An objection: real name, a valid resident ID number and a phone, grounds and evidence;
 * anonymous or late objections are refused. The objector's personal data is sealed under
 * their own key before it is written (docs/privacy.md).
 */
@CommandHandler(RaiseObjectionCommand)
export class RaiseObjectionHandler implements ICommandHandler<RaiseObjectionCommand, string> {
  constructor(
    @Inject(Aggregates) private readonly aggregates: Aggregates,
    @Inject(PersonalDataVault) private readonly vault: PersonalDataVault,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  async execute({ applicationId, objection, context }: RaiseObjectionCommand): Promise<string> {
    const created = (await this.aggregates.application(applicationId)).state.created;
    if (!created) throw conflict('OUTSIDE_PUBLICITY', 'the application is not in publicity');
    const { objector } = objection;
    let sealed;
    let evidence = objection.evidence;
    if (objector.kind === 'organization') {
      if (!isValidCreditCode(objector.creditCode)) {
        throw invalid('OBJECTOR_ANONYMOUS', "an organisation's objection needs its valid credit code", [
          { field: 'organization.creditCode', message: 'must be a valid unified social credit code' },
        ]);
      }
      // The sealed objection is its signature: its image is evidence like any other.
      if (!evidence.includes(objector.sealImage)) evidence = [...evidence, objector.sealImage];
      const sealFile = /^sha256:([0-9a-f]{64})$/.exec(objector.sealImage)?.[1];
      if (sealFile && !objection.evidenceFiles?.some((f) => f.sha256 === sealFile)) {
        throw invalid('EVIDENCE_FILE_UNKNOWN', 'the seal image names a file not among the evidence files', [
          { field: 'organization.sealImage', message: 'upload the seal image as an evidence file first' },
        ]);
      }
      sealed = await this.vault.seal(this.vault.subjectFor('phone', objector.contact.phone), { ...objector });
    } else {
      if (!isResidentIdNumber(objector.idNumber, this.clock.now())) {
        throw invalid(
          'OBJECTOR_ANONYMOUS',
          "an objection needs the objector's real name and a valid ID number",
          [{ field: 'objector.idNumber', message: 'must be a valid 18-character resident ID number' }],
        );
      }
      sealed = await this.vault.seal(this.vault.subjectFor('id-number', objector.idNumber), {
        ...objector,
      });
    }
    const roundId = created.roundId;
    const raised = await this.aggregates
      .of(roundDecider)
      .handle(roundStream(roundId), context, async ({ state }) => {
        // After the idempotency check: a repeat answers the first objection's id even after publicity.
        const application = await this.aggregates.application(applicationId);
        if (application.state.status !== 'in-publicity') {
          throw conflict('OUTSIDE_PUBLICITY', 'the application is not in publicity');
        }
        return {
          type: 'RaiseObjection',
          objection: {
            objectionId: objectionIdFor(roundId, (state.objections?.length ?? 0) + 1),
            applicationId,
            objector: sealed,
            ...(objector.kind === 'organization'
              ? {
                  objectorKind: 'organization' as const,
                  organization: { name: objector.name, creditCode: objector.creditCode },
                }
              : {}),
            grounds: objection.grounds,
            evidence,
            ...(objection.evidenceFiles?.length ? { evidenceFiles: objection.evidenceFiles } : {}),
            raisedOn: chinaDate(this.clock.now()),
          },
        };
      });
    // The id from the event, new or written by the first request with this Idempotency-Key.
    const event = raised.events.find((e) => e.type === 'ObjectionRaised');
    return event?.type === 'ObjectionRaised' ? event.data.objectionId : '';
  }
}
