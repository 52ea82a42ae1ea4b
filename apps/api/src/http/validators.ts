import { registerDecorator, type ValidationOptions } from 'class-validator';
import { isIsoDate, isJurisdiction, validateCreditCode } from '@engine/platform';
import { parseDocumentNumber } from '@engine/incubation';

/** A unified social credit code whose check character is right (GB 32100-2015). */
export function IsCreditCode(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isCreditCode',
      target: target.constructor,
      propertyName: propertyName as string,
      options,
      validator: {
        validate: (value: unknown) => validateCreditCode(value).valid,
        defaultMessage: (args) => {
          const value: unknown = args?.value;
          const result = validateCreditCode(value);
          return result.valid ? '' : `not a valid unified social credit code: ${result.message}`;
        },
      },
    });
}

/** A dotted jurisdiction path such as js.wuxi.xinwu. */
export function IsJurisdiction(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isJurisdiction',
      target: target.constructor,
      propertyName: propertyName as string,
      options,
      validator: {
        validate: (value: unknown) => isJurisdiction(value),
        defaultMessage: () => 'must be a dotted jurisdiction path such as js.wuxi.xinwu',
      },
    });
}

/** A real calendar date written YYYY-MM-DD. */
export function IsCalendarDate(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isCalendarDate',
      target: target.constructor,
      propertyName: propertyName as string,
      options,
      validator: {
        validate: (value: unknown) => isIsoDate(value),
        defaultMessage: () => 'must be a calendar date YYYY-MM-DD',
      },
    });
}

/** A document number (文号) such as 锡科发〔2026〕12号 (common bracket variants accepted). */
export function IsDocumentNumber(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isDocumentNumber',
      target: target.constructor,
      propertyName: propertyName as string,
      options,
      validator: {
        validate: (value: unknown) => parseDocumentNumber(value).ok,
        defaultMessage: (args) => {
          const result = parseDocumentNumber(args?.value);
          return result.ok ? '' : `${args?.property ?? 'documentNumber'} ${result.message}`;
        },
      },
    });
}
