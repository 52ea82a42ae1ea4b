import 'reflect-metadata';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsEmail,
  IsIn,
  IsInt,
  IsNumber,
  IsObject,
  IsString,
  IsUrl,
  IsUUID,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import type { ArgumentMetadata } from '@nestjs/common';
import { type ErrorResponse, localizeError } from '@engine/platform';
import { HttpError } from './http-error';
import { findTextProblems, IsText } from './text';
import { createValidationPipe } from './validation';
import { IsCalendarDate, IsCreditCode, IsDocumentNumber, IsJurisdiction } from './validators';

class Inner {
  @IsInt() count!: number;
}

/** One field per kind of check our request DTOs use (grep -o '@Is…(' apps/api/src). */
class EveryCheck {
  @IsString() title!: string;
  @Length(2, 4) code!: string;
  @MaxLength(3) short!: string;
  @Matches(/^[a-z]+$/) lower!: string;
  @IsInt() @Min(1) batch!: number;
  @Max(10) small!: number;
  @IsNumber() amount!: number;
  @IsIn(['recommend', 'return']) decision!: string;
  @IsBoolean() flag!: boolean;
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(2) list!: string[];
  @IsObject() data!: object;
  @IsEmail() email!: string;
  @IsUrl() url!: string;
  @IsUUID() id!: string;
  @IsText({ max: 5 }) name!: string;
  @IsText({ min: 3, max: 3 }) exact!: string;
  @IsCreditCode() creditCode!: string;
  @IsJurisdiction() jurisdiction!: string;
  @IsCalendarDate() respondBy!: string;
  @IsDocumentNumber() documentNumber!: string;
  @ValidateNested() @Type(() => Inner) inner!: Inner;
}

const BAD = {
  title: 7,
  code: 'x',
  short: 'abcdef',
  lower: 'ABC',
  batch: 0,
  small: 11,
  amount: 'many',
  decision: 'maybe',
  flag: 'yes',
  list: ['a', 'b', 'c'],
  data: 'not an object',
  email: 'nobody',
  url: 'not a url',
  id: 'not-a-uuid',
  name: '太长的企业名称',
  exact: 'ab',
  creditCode: '91320214MA1AU0000X',
  jurisdiction: 'Wuxi City',
  respondBy: '2026-02-30',
  documentNumber: '锡科发2026第12号',
  inner: { count: 'one' },
  unexpected: true,
};

async function refusal(body: unknown): Promise<ErrorResponse> {
  const metadata: ArgumentMetadata = { type: 'body', metatype: EveryCheck };
  try {
    await createValidationPipe().transform(body, metadata);
  } catch (error) {
    return (error as HttpError).body;
  }
  throw new Error('accepted');
}

const han = /\p{Script=Han}/u;

describe('validation details in Chinese', () => {
  it('says every check our DTOs make in Chinese, with its particulars, and keeps the fields', async () => {
    const body = await refusal(BAD);
    const zh = localizeError(body, 'zh-CN');
    expect(zh.details?.map((d) => d.field)).toEqual(body.details?.map((d) => d.field));
    const untranslated = (zh.details ?? []).filter((d) => !han.test(d.message));
    expect(untranslated).toEqual([]);
    const said = Object.fromEntries((zh.details ?? []).map((d) => [d.field, d.message]));
    expect(said).toMatchObject({
      code: '长度不得少于 2 个字符',
      short: '长度不得超过 3 个字符',
      batch: '不得小于 1',
      small: '不得大于 10',
      decision: '须为以下之一：recommend, return',
      list: '最多 2 项',
      name: '须为 1–5 个字符（现为 7 个）',
      exact: '须为 3 个字符（现为 2 个）',
      creditCode: expect.stringMatching(/^不是有效的统一社会信用代码：校验码错误/),
      'inner.count': '须为整数',
      unexpected: '不允许的字段 unexpected',
    });
    // English callers keep the wording class-validator and our validators wrote.
    expect(localizeError(body, 'en').details).toEqual(body.details);
  });

  it('says the text-safety refusals (control characters, broken surrogates) in Chinese', () => {
    const problems = findTextProblems({ name: 'a\u0000', 'k\u0007': 1, note: '\ud800' });
    const zh = localizeError(
      { statusCode: 400, error: 'Bad Request', code: 'VALIDATION_FAILED', message: 'x', details: problems },
      'zh-CN',
    );
    expect(zh.details).toEqual([
      { field: 'name', message: '含有控制字符（U+0000），请删除' },
      { field: '(body) key', message: '含有控制字符（U+0007），请删除' },
      { field: 'note', message: '含有不成对的代理字符（U+D800），不是有效的 Unicode 文本' },
    ]);
  });

  it('leaves a message it does not know in English rather than guess', () => {
    const body: ErrorResponse = {
      statusCode: 400,
      error: 'Bad Request',
      code: 'VALIDATION_FAILED',
      message: 'x',
      details: [{ field: 'a', message: 'something new entirely' }],
    };
    expect(localizeError(body, 'zh-CN').details).toEqual(body.details);
  });
});
