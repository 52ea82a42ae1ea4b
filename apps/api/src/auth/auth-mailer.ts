import { Logger } from '@nestjs/common';
import { createTransport, type Transporter } from 'nodemailer';
import type { AppConfig } from '@engine/platform';

/**
 * Sends the sign-in emails (password-reset links) through the notification email channel's
 * SMTP server (SMTP_URL, MAIL_FROM). Without SMTP_URL: in development the link is logged so
 * a developer can follow it; in production nothing is sent and that is logged (no link).
 */
export class AuthMailer {
  private readonly logger = new Logger('AuthMail');
  private readonly transport: Transporter | undefined;

  constructor(private readonly config: Pick<AppConfig, 'SMTP_URL' | 'MAIL_FROM' | 'NODE_ENV'>) {
    this.transport = config.SMTP_URL ? createTransport(config.SMTP_URL) : undefined;
  }

  async sendResetLink(to: string, name: string, link: string, minutes: number): Promise<void> {
    if (!this.transport) {
      if (this.config.NODE_ENV === 'production')
        this.logger.warn('SMTP_URL is not set: a password-reset link could not be sent');
      else this.logger.log(`SMTP_URL is not set (development): password-reset link ${link}`);
      return;
    }
    await this.transport.sendMail({
      from: this.config.MAIL_FROM,
      to,
      subject: '企业培育库：重置密码 / Reset your password',
      text:
        `${name}，您好：\n\n请在 ${minutes} 分钟内打开以下链接重置密码（仅可使用一次）：\n${link}\n\n` +
        `如非本人操作，请忽略本邮件，您的密码不会改变。\n\n----\n` +
        `To reset your password, open this link within ${minutes} minutes (it works once):\n${link}\n` +
        `If you did not ask for this, ignore this email; your password stays as it is.\n`,
      textEncoding: 'base64',
    });
  }

  close(): void {
    this.transport?.close();
  }
}
