import { ApiProperty } from '@nestjs/swagger';
import { IsEmail, IsString, Length, MaxLength } from 'class-validator';

/** The same rule as `staff:create` (MIN_PASSWORD_LENGTH in staff/bootstrap-staff.ts). */
export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 200;

export class ForgotPasswordDto {
  @ApiProperty({ example: 'hanako.yamada@demo.mamori.example' })
  @IsEmail()
  @MaxLength(254)
  email!: string;
}

export class SetPasswordDto {
  @ApiProperty({ description: 'the `token` parameter of the link sent by e-mail (`<id>.<secret>`)' })
  @IsString()
  @MaxLength(500)
  token!: string;

  @ApiProperty({ minLength: PASSWORD_MIN_LENGTH, maxLength: PASSWORD_MAX_LENGTH })
  @IsString()
  @Length(PASSWORD_MIN_LENGTH, PASSWORD_MAX_LENGTH)
  password!: string;
}

export class InvitationResultDto {
  @ApiProperty({ type: String, format: 'date-time', description: 'when the link sent by e-mail stops working' })
  expiresAt!: Date;
}

export class ForgotPasswordResultDto {
  @ApiProperty({ description: 'the same answer whether or not the address is known' })
  message!: string;
}
