import { maskPhone } from '@engine/platform';

/** Sends a text message. A real gateway (Aliyun, Tencent Cloud SMS...) implements this. */
export abstract class SmsProvider {
  abstract readonly name: string;
  abstract send(phone: string, text: string): Promise<void>;
}

/** Sends nothing: logs that it would have, with the number masked. The default until a gateway is configured. */
export class LoggingSmsProvider extends SmsProvider {
  readonly name = 'log';
  readonly sent: { phone: string; text: string }[] = [];
  constructor(private readonly log: (message: string) => void) {
    super();
  }
  async send(phone: string, text: string): Promise<void> {
    this.sent.push({ phone: maskPhone(phone), text });
    this.log(
      `SMS to ${maskPhone(phone)} (${text.length} characters) not sent: the logging provider only logs`,
    );
  }
}
