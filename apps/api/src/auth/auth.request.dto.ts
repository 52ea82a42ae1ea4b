import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsOptional, IsString, Length, Matches } from 'class-validator';
import { IsCreditCode } from '../http/validators';

export class SignInRequest {
  @ApiProperty({
    example: '91320214MA1XK0001X',
    description: 'login (an enterprise signs in with its credit code by default)',
  })
  @IsString()
  @Length(1, 254)
  login!: string;

  @ApiProperty({ example: 'correct horse battery staple' })
  @IsString()
  @Length(1, 256)
  password!: string;

  @ApiPropertyOptional({
    example: '123456',
    description: 'the current code of the authenticator app, or a recovery code',
  })
  @IsOptional()
  @IsString()
  @Length(6, 20)
  totp?: string;
}

export class RegisterEnterpriseAccountRequest {
  @ApiProperty({
    example: '91320214MA1XK0001X',
    description: '统一社会信用代码; its check character is verified',
  })
  @IsCreditCode()
  creditCode!: string;

  @ApiProperty({ example: '无锡芯动微电子科技有限公司' })
  @IsString()
  @Length(1, 200)
  @Matches(/\S/, { message: 'companyName must not be blank' })
  companyName!: string;

  @ApiProperty({ example: '张三', description: '联系人; sealed with the personal-data vault' })
  @IsString()
  @Length(1, 100)
  @Matches(/\S/, { message: 'contactPerson must not be blank' })
  contactPerson!: string;

  @ApiProperty({ example: '13812345678', description: 'mainland mobile number; sealed' })
  @Matches(/^(\+?86)?1\d{10}$/, { message: 'mobile must be a mainland mobile number such as 13812345678' })
  mobile!: string;

  @ApiProperty({ example: 'zhangsan@example.com', description: 'for password-reset links; sealed' })
  @IsEmail({}, { message: 'email must be an email address' })
  @Length(3, 254)
  email!: string;

  @ApiProperty({ description: 'at least 10 characters, not the login, not a common password' })
  @IsString()
  @Length(1, 256)
  password!: string;

  @ApiPropertyOptional({ description: 'the login to sign in with; default: the credit code' })
  @IsOptional()
  @Matches(/^[\p{L}\p{N}._@+-]{3,64}$/u, { message: 'login must be 3 to 64 letters, digits or . _ @ + -' })
  login?: string;
}

export class ChangePasswordRequest {
  @ApiProperty()
  @IsString()
  @Length(1, 256)
  currentPassword!: string;

  @ApiProperty({ description: 'at least 10 characters, not the login, not a common password' })
  @IsString()
  @Length(1, 256)
  newPassword!: string;
}

export class PasswordResetRequest {
  @ApiProperty({ example: '91320214MA1XK0001X' })
  @IsString()
  @Length(1, 254)
  login!: string;
}

export class PasswordResetConfirmRequest {
  @ApiProperty({ description: 'the token from the link' })
  @IsString()
  @Length(1, 128)
  token!: string;

  @ApiProperty({ description: 'the new password' })
  @IsString()
  @Length(1, 256)
  password!: string;
}

export class TotpCodeRequest {
  @ApiProperty({ example: '123456' })
  @IsString()
  @Length(6, 20)
  code!: string;
}
