import { createHmac, randomUUID } from 'node:crypto';
import { maskPhone } from '@engine/platform';
import type { SmsMessage } from './rules/notification-rules';

/**
 * Sends a text message. The Chinese SMS gateways take only an approved template and its
 * parameters (free text is refused), with a registered signature (签名) in front.
 */
export abstract class SmsProvider {
  abstract readonly name: string;
  abstract send(phone: string, message: SmsMessage): Promise<void>;
}

/** An answer of the gateway that retrying will not change (a bad template, a bad number...). */
export class SmsRefusedError extends Error {}

/** Sends nothing: logs that it would have, with the number masked. The default until a gateway is configured. */
export class LoggingSmsProvider extends SmsProvider {
  readonly name = 'log';
  readonly sent: { phone: string; template: string; params: Record<string, string> }[] = [];
  constructor(private readonly log: (message: string) => void) {
    super();
  }
  async send(phone: string, message: SmsMessage): Promise<void> {
    this.sent.push({ phone: maskPhone(phone), template: message.template, params: message.params });
    this.log(
      `SMS to ${maskPhone(phone)} (template ${message.template}, ${Object.keys(message.params).length} parameters) not sent: the logging provider only logs`,
    );
  }
}

export interface AliyunSmsOptions {
  accessKeyId: string;
  accessKeySecret: string;
  /** The registered signature (签名), e.g. 企业培育库. */
  signName: string;
  /** Default https://dysmsapi.aliyuncs.com (the SendSms API, version 2017-05-25). */
  endpoint?: string;
  regionId?: string;
  timeoutMs?: number;
  now?: () => Date;
  nonce?: () => string;
}

/** RFC 3986 percent-encoding, as Aliyun's RPC signature (v1) specifies it. */
export function aliyunPercentEncode(value: string): string {
  return encodeURIComponent(value)
    .replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%7E/g, '~');
}

/**
 * Aliyun's RPC request signature, version 1.0 (HMAC-SHA1): the parameters sorted by name,
 * each name and value percent-encoded, joined with & and =; the string to sign is
 * `METHOD&%2F&<percent-encoded canonical query>`; the key is the AccessKey secret followed by &.
 */
export function aliyunSignature(
  method: string,
  params: Record<string, string>,
  accessKeySecret: string,
): string {
  const canonical = Object.keys(params)
    .sort()
    .map((key) => `${aliyunPercentEncode(key)}=${aliyunPercentEncode(params[key])}`)
    .join('&');
  const stringToSign = `${method}&${aliyunPercentEncode('/')}&${aliyunPercentEncode(canonical)}`;
  return createHmac('sha1', `${accessKeySecret}&`).update(stringToSign).digest('base64');
}

/** Aliyun SMS (短信服务) SendSms, signed with the documented RPC signature v1 (HMAC-SHA1). */
export class AliyunSmsProvider extends SmsProvider {
  readonly name = 'aliyun';
  constructor(private readonly options: AliyunSmsOptions) {
    super();
  }

  async send(phone: string, message: SmsMessage): Promise<void> {
    const now = this.options.now?.() ?? new Date();
    const params: Record<string, string> = {
      AccessKeyId: this.options.accessKeyId,
      Action: 'SendSms',
      Format: 'JSON',
      PhoneNumbers: phone,
      RegionId: this.options.regionId ?? 'cn-hangzhou',
      SignName: this.options.signName,
      SignatureMethod: 'HMAC-SHA1',
      SignatureNonce: this.options.nonce?.() ?? randomUUID(),
      SignatureVersion: '1.0',
      TemplateCode: message.template,
      TemplateParam: JSON.stringify(message.params),
      Timestamp: now.toISOString().replace(/\.\d{3}Z$/, 'Z'),
      Version: '2017-05-25',
    };
    const signature = aliyunSignature('GET', params, this.options.accessKeySecret);
    const query = Object.entries({ Signature: signature, ...params })
      .map(([key, value]) => `${aliyunPercentEncode(key)}=${aliyunPercentEncode(value)}`)
      .join('&');
    const endpoint = (this.options.endpoint ?? 'https://dysmsapi.aliyuncs.com').replace(/\/+$/, '');
    const response = await fetch(`${endpoint}/?${query}`, {
      signal: AbortSignal.timeout(this.options.timeoutMs ?? 5000),
    });
    const body = (await response.json().catch(() => ({}))) as { Code?: string; Message?: string };
    if (response.ok && body.Code === 'OK') return;
    const what =
      `Aliyun SMS to ${maskPhone(phone)} refused: ${body.Code ?? response.status} ${body.Message ?? ''}`.trim();
    // Throttling and server trouble pass; a bad template, signature or number does not.
    if (response.status >= 500 || /LIMIT_CONTROL|Throttling|ServiceUnavailable/i.test(body.Code ?? ''))
      throw new Error(what);
    throw new SmsRefusedError(what);
  }
}
