import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsEmail, IsOptional, Length, Matches, ValidateNested } from 'class-validator';
import { IsCalendarDate, IsCreditCode, IsJurisdiction } from '../http/validators';
import { IsText } from '../http/text';

/** The enterprise's contact person for notices: sealed before it is recorded (docs/privacy.md). */
export class EnterpriseContact {
  @ApiProperty({ example: '张三', maxLength: 100 })
  @IsText({ max: 100 })
  @Matches(/\S/, { message: 'name must not be blank' })
  name!: string;

  @ApiPropertyOptional({ example: 'zhangsan@example.com' })
  @IsOptional()
  @IsEmail({}, { message: 'email must be an email address' })
  @Length(3, 254)
  email?: string;

  @ApiPropertyOptional({ example: '13812345678', description: 'mainland mobile number' })
  @IsOptional()
  @Matches(/^(\+?86)?1\d{10}$/, { message: 'phone must be a mainland mobile number such as 13812345678' })
  phone?: string;
}

export class RegisterEnterpriseRequest {
  @ApiProperty({
    example: '91320214MA1MXXXX0P',
    description: '统一社会信用代码, 18 characters, check character verified',
  })
  @IsCreditCode()
  creditCode!: string;

  @ApiProperty({ example: '无锡芯动微电子科技有限公司', maxLength: 200 })
  @IsText({ max: 200 })
  @Matches(/\S/, { message: 'name must not be blank' })
  name!: string;

  @ApiProperty({ example: 'js.wuxi.xinwu', description: 'dotted jurisdiction path: province.city.district' })
  @IsJurisdiction()
  jurisdiction!: string;

  @ApiProperty({ example: '2019-05-20', description: '成立日期' })
  @IsCalendarDate()
  establishedOn!: string;

  @ApiPropertyOptional({
    type: EnterpriseContact,
    description:
      'contact person for email and SMS notices; sealed with the personal-data vault, never stored in clear',
  })
  @IsOptional()
  @ValidateNested()
  @Type(() => EnterpriseContact)
  contact?: EnterpriseContact;
}
