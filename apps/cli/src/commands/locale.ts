import { localeFromEnvironment } from '@engine/platform';

/**
 * The language of the command line's help and messages: the operator's locale (LC_ALL,
 * LC_MESSAGES, LANG), Chinese when it names none (the C or POSIX locale, or unset).
 */
export function cliLocale() {
  return localeFromEnvironment();
}

/** The zh-CN text, or the English one when the locale is not Chinese. */
export function t(zh: string, en: string): string {
  return cliLocale() === 'zh-CN' ? zh : en;
}
