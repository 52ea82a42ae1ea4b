import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsObject, IsOptional, IsUUID } from 'class-validator';
import { IsCalendarDate, IsCreditCode } from '../http/validators';
import { IsText } from '../http/text';

const DATA_EXAMPLE = {
  financials: [{ year: 2025, revenue: 12_500_000, rdExpense: 900_000 }],
  employees: 48,
  rdStaff: 15,
  ipRights: { classI: 1, classII: 6, applied: 3 },
  negativeRecords: { majorAccident: false, seriousDishonesty: false },
};

export class CreateApplicationRequest {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  roundId!: string;

  @ApiProperty({ example: '91320214MA1XK0001X' })
  @IsCreditCode()
  creditCode!: string;

  @ApiProperty({
    example: DATA_EXAMPLE,
    description: 'programme data (shared/API.md); checked against the programme',
  })
  @IsObject()
  data!: Record<string, unknown>;

  @ApiPropertyOptional({
    format: 'uuid',
    description: 're-review (复核): the membership of this programme the application would renew',
  })
  @IsOptional()
  @IsUUID()
  reReviewOf?: string;
}

export class UpdateApplicationRequest {
  @ApiProperty({ example: DATA_EXAMPLE })
  @IsObject()
  data!: Record<string, unknown>;
}

export class ReviewApplicationRequest {
  @ApiProperty({ enum: ['district', 'city'] })
  @IsIn(['district', 'city'])
  stage!: 'district' | 'city';

  @ApiProperty({ enum: ['recommend', 'return', 'reject'] })
  @IsIn(['recommend', 'return', 'reject'])
  decision!: 'recommend' | 'return' | 'reject';

  @ApiProperty({ example: '请补充2025年度研发费用专项审计报告', maxLength: 2000 })
  @IsText({ max: 2000, multiline: true })
  reason!: string;

  @ApiPropertyOptional({
    example: '2026-04-15',
    description: 'response deadline for a return; default from the policy',
  })
  @IsOptional()
  @IsCalendarDate()
  respondBy?: string;
}
