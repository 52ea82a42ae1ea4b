import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUrl,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { IsCreditCode } from '../http/validators';

export class InboxQuery {
  @ApiPropertyOptional({ enum: ['true', 'false'], description: 'only notices this caller has not read' })
  @IsOptional()
  @IsIn(['true', 'false'])
  unread?: 'true' | 'false';

  @ApiPropertyOptional({ description: "the previous page's `next`" })
  @IsOptional()
  @IsString()
  @Matches(/^[A-Za-z0-9_-]{1,400}$/, { message: 'cursor must be a cursor this api returned' })
  cursor?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 200, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;
}

export class CreateWebhookRequest {
  @ApiProperty({ example: 'https://erp.example.com/hooks/cultivation', description: 'http or https' })
  @IsString()
  @MaxLength(2000)
  @IsUrl(
    { protocols: ['http', 'https'], require_protocol: true, require_tld: false, allow_underscores: true },
    { message: 'url must be an http or https URL' },
  )
  url!: string;

  @ApiProperty({
    example: ['ApplicationReturned', 'ApplicationRejected'],
    description: 'event types, or ["*"]',
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @Matches(/^(\*|[A-Z][A-Za-z0-9]{1,99})$/, {
    each: true,
    message: 'events must be event types such as ApplicationReturned, or *',
  })
  events!: string[];

  @ApiProperty({ example: 'a-long-random-secret-of-your-own', minLength: 16, maxLength: 256 })
  @IsString()
  @Length(16, 256)
  secret!: string;

  @ApiPropertyOptional({ description: 'admins only: the enterprise it is for; absent, every enterprise' })
  @IsOptional()
  @IsCreditCode()
  org?: string;
}
