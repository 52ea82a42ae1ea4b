import type { EventStore } from '@engine/event-store';
import { isSealedPersonalData, type PersonalDataVault } from '@engine/platform';

export interface Contact {
  name?: string;
  email?: string;
  phone?: string;
}

/**
 * An enterprise's contact person, opened from the sealed `contact` of its EnterpriseRegistered
 * event when a notice is sent (never stored in clear, never put on a queue). A contact whose
 * key was destroyed (forgotten) opens to nothing: that enterprise simply gets no email or SMS.
 */
export class ContactDirectory {
  constructor(
    private readonly store: EventStore,
    private readonly vault: PersonalDataVault,
  ) {}

  async contactOf(creditCode: string): Promise<Contact | undefined> {
    const events = await this.store.readStream<Record<string, unknown>>(`enterprise-${creditCode}`);
    const sealed = events
      .map((event) => event.data?.contact)
      .filter(isSealedPersonalData)
      .pop();
    if (!sealed) return undefined;
    const opened = await this.vault.open(sealed);
    return opened ? (opened as Contact) : undefined;
  }
}
