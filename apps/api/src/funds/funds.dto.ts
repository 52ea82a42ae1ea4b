import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { PROGRAMMES } from '@engine/incubation';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  IsUUID,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { IsDocumentNumber, IsJurisdiction } from '../http/validators';
import { IsText } from '../http/text';

const YUAN = { description: 'yuan (whole yuan)', minimum: 1, maximum: Number.MAX_SAFE_INTEGER } as const;

export class EstablishFundRequest {
  @ApiProperty({ example: '2026年中小企业发展专项资金（专精特新"小巨人"企业奖补）' })
  @IsText({ max: 200 })
  name!: string;

  @ApiProperty({ ...YUAN, example: 5_950_000 })
  @IsInt()
  @Min(1)
  @Max(Number.MAX_SAFE_INTEGER)
  budget!: number;

  @ApiProperty({ example: '中央财政中小企业发展专项资金' })
  @IsText({ max: 200 })
  source!: string;

  @ApiProperty({ example: 'sd.weihai.gaoqu', description: 'the issuing jurisdiction (yours or below it)' })
  @IsJurisdiction()
  jurisdiction!: string;

  @ApiProperty({ example: 2026 })
  @IsInt()
  @Min(2000)
  @Max(2200)
  year!: number;

  @ApiPropertyOptional({
    enum: PROGRAMMES,
    isArray: true,
    description: 'the lists whose members it may support; absent or empty: any',
    example: ['little-giant'],
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(PROGRAMMES.length)
  @IsIn(PROGRAMMES, { each: true })
  programmes?: string[];
}

export class AllocationRecipientRequest {
  @ApiPropertyOptional({ format: 'uuid', description: "an admitted enterprise's membership" })
  @IsOptional()
  @IsUUID()
  membershipId?: string;

  @ApiPropertyOptional({
    example: '威海高新区中小企业公共服务示范平台',
    description: 'a public service demonstration platform, by name',
  })
  @IsOptional()
  @IsText({ max: 200 })
  platform?: string;
}

export class AllocateRequest {
  @ApiProperty({ type: AllocationRecipientRequest, description: 'exactly one of membershipId and platform' })
  @ValidateNested()
  @Type(() => AllocationRecipientRequest)
  recipient!: AllocationRecipientRequest;

  @ApiProperty({ ...YUAN, example: 2_075_000 })
  @IsInt()
  @Min(1)
  @Max(Number.MAX_SAFE_INTEGER)
  amount!: number;

  @ApiProperty({ example: '专精特新"小巨人"企业奖补' })
  @IsText({ max: 500 })
  purpose!: string;
}

export class PaymentRequest {
  @ApiProperty({ ...YUAN, example: 2_075_000 })
  @IsInt()
  @Min(1)
  @Max(Number.MAX_SAFE_INTEGER)
  amount!: number;

  @ApiProperty({ example: '威高财字〔2026〕12号', description: 'the document that approved the payment' })
  @IsDocumentNumber()
  documentNumber!: string;
}

export class FundPaymentDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty(YUAN) amount!: number;
  @ApiProperty({ example: '威高财字〔2026〕12号' }) documentNumber!: string;
  @ApiProperty({ example: '2026-07-20' }) paidOn!: string;
}

export class AllocationRecipientDto {
  @ApiProperty({ enum: ['membership', 'platform'] }) kind!: 'membership' | 'platform';
  @ApiPropertyOptional({ format: 'uuid' }) membershipId?: string;
  @ApiPropertyOptional() creditCode?: string;
  @ApiPropertyOptional({ enum: PROGRAMMES }) programme?: string;
  @ApiPropertyOptional({ example: 'sd.weihai.gaoqu' }) jurisdiction?: string;
  @ApiPropertyOptional({ description: "the platform's name" }) name?: string;
}

export class FundAllocationDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ type: AllocationRecipientDto }) recipient!: AllocationRecipientDto;
  @ApiProperty(YUAN) amount!: number;
  @ApiProperty() purpose!: string;
  @ApiProperty({ example: '2026-07-02' }) allocatedOn!: string;
  @ApiProperty({ description: 'yuan paid against it so far' }) paid!: number;
  @ApiProperty({ description: 'yuan still to pay' }) unpaid!: number;
  @ApiProperty({ type: [FundPaymentDto] }) payments!: FundPaymentDto[];
}

export class FundDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty(YUAN) budget!: number;
  @ApiProperty({ example: '中央财政中小企业发展专项资金' }) source!: string;
  @ApiProperty({ example: 'sd.weihai.gaoqu' }) jurisdiction!: string;
  @ApiProperty({ example: 2026 }) year!: number;
  @ApiProperty({ enum: PROGRAMMES, isArray: true }) programmes!: string[];
  @ApiProperty({ example: '2026-07-01' }) establishedOn!: string;
  @ApiProperty({ description: 'yuan allocated' }) allocated!: number;
  @ApiProperty({ description: 'yuan of the budget not yet allocated' }) remaining!: number;
  @ApiProperty({ description: 'yuan paid out' }) paid!: number;
  @ApiProperty({ type: [FundAllocationDto] }) allocations!: FundAllocationDto[];
  @ApiProperty({ description: 'the stream revision (the ETag)' }) revision!: number;
}

export class AllocationMadeDto {
  @ApiProperty({ format: 'uuid', description: 'the new allocation' }) id!: string;
  @ApiProperty({ type: FundDto }) fund!: FundDto;
}

export class PaymentRecordedDto {
  @ApiProperty({ format: 'uuid', description: 'the new payment' }) id!: string;
  @ApiProperty({ type: FundDto }) fund!: FundDto;
}
