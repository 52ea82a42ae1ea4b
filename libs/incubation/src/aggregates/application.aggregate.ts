import {
  applicationDecider,
  type ApplicationState,
  attachMaterial,
  type AttachMaterialContext,
  removeMaterial,
  createApplication,
  reviewApplication,
  type ReviewCommand,
  submitApplication,
  type SubmitContext,
  updateApplicationData,
  withdrawForMissedDeadline,
} from '../domain/application/application.decider';
import {
  type ApplicationCreatedData,
  type ApplicationEvent,
  applicationStream,
  type MaterialAttachedData,
} from '../domain/application/application.events';
import { EventSourcedAggregate } from './event-sourced-aggregate';

export class ApplicationAggregate extends EventSourcedAggregate<ApplicationState, ApplicationEvent> {
  constructor(readonly applicationId: string) {
    super(applicationStream(applicationId), applicationDecider);
  }

  create(command: ApplicationCreatedData): void {
    this.applyAll(createApplication(this.state, command));
  }

  updateData(data: Record<string, unknown>): void {
    this.applyAll(updateApplicationData(this.state, data));
  }

  submit(context: SubmitContext): void {
    this.applyAll(submitApplication(this.state, context));
  }

  review(command: ReviewCommand): void {
    this.applyAll(reviewApplication(this.state, command));
  }

  attachMaterial(material: MaterialAttachedData, context: AttachMaterialContext): void {
    this.applyAll(attachMaterial(this.state, material, context));
  }

  removeMaterial(materialId: string): void {
    this.applyAll(removeMaterial(this.state, materialId));
  }

  withdrawIfDeadlineMissed(today: string): void {
    this.applyAll(withdrawForMissedDeadline(this.state, today));
  }
}
