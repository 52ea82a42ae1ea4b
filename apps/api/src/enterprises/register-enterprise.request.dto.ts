import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length, Matches } from 'class-validator';
import { IsCalendarDate, IsCreditCode, IsJurisdiction } from '../http/validators';

export class RegisterEnterpriseRequest {
  @ApiProperty({
    example: '91320214MA1MXXXX0A',
    description: '统一社会信用代码, 18 characters, check character verified',
  })
  @IsCreditCode()
  creditCode!: string;

  @ApiProperty({ example: '无锡芯动微电子科技有限公司', maxLength: 200 })
  @IsString()
  @Length(1, 200)
  @Matches(/\S/, { message: 'name must not be blank' })
  name!: string;

  @ApiProperty({ example: 'js.wuxi.xinwu', description: 'dotted jurisdiction path: province.city.district' })
  @IsJurisdiction()
  jurisdiction!: string;

  @ApiProperty({ example: '2019-05-20', description: '成立日期' })
  @IsCalendarDate()
  establishedOn!: string;
}
