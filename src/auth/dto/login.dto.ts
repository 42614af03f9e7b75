import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsOptional, IsString, Length, MaxLength } from 'class-validator';
import { ApiResponseSchema, ProblemDocumentView } from '../../common/openapi.js';

export class LoginDto {
  @ApiProperty({ example: 'security@demo.mamori.example' })
  @IsEmail()
  @MaxLength(254)
  email!: string;

  @ApiProperty()
  @IsString()
  @Length(1, 200)
  password!: string;

  @ApiPropertyOptional({ description: 'six-digit TOTP code, or a recovery code (xxxxx-xxxxx)' })
  @IsOptional()
  @IsString()
  @Length(6, 11)
  totp?: string;
}

export class RefreshDto {
  @ApiProperty()
  @IsString()
  @Length(10, 200)
  refreshToken!: string;
}

export class ConfirmTotpDto {
  @ApiProperty({ description: 'six-digit code from the authenticator app' })
  @IsString()
  @Length(6, 6)
  code!: string;
}

export class TokenPairDto {
  @ApiProperty({ description: 'a JWT; send it as `Authorization: Bearer <accessToken>`' }) accessToken!: string;
  @ApiProperty({ description: 'one-time: each refresh answers a new pair' }) refreshToken!: string;
  @ApiProperty({ enum: ['Bearer'] }) tokenType!: 'Bearer';
  @ApiProperty({ type: 'integer', description: 'seconds until the access token expires' }) expiresIn!: number;
}

export class TotpEnrolmentDto {
  @ApiProperty({ example: 'otpauth://totp/Mamori:…?secret=…', description: 'for the authenticator app (it carries the new secret)' }) otpauthUri!: string;
  @ApiProperty({ example: 'data:image/png;base64,…', description: 'the same URI as a QR code image' }) qrDataUrl!: string;
}

export class LoginResultDto {
  @ApiProperty({ description: 'true: send the same request again with `totp`' })
  mfaRequired!: boolean;

  @ApiPropertyOptional({ type: TotpEnrolmentDto, description: 'present when the second factor must first be enrolled' })
  enrolment?: TotpEnrolmentDto;

  @ApiPropertyOptional({ type: TokenPairDto })
  tokens?: TokenPairDto;

  @ApiPropertyOptional({ type: [String], description: 'one-time recovery codes, shown only once, after enrolment' })
  recoveryCodes?: string[];
}

export class RecoveryCodesDto {
  @ApiProperty({ type: [String], example: ['a1b2c-3d4e5'], description: 'one-time recovery codes, shown only this once' })
  recoveryCodes!: string[];
}

/** ACCOUNT_LOCKED: the problem document says until when. */
@ApiResponseSchema({ name: 'AccountLockedProblem', description: 'ACCOUNT_LOCKED: too many failed sign-ins; `lockedUntil` says when it may be tried again.' })
export class AccountLockedProblemDto extends ProblemDocumentView {
  @ApiProperty({ type: String, format: 'date-time', description: 'sign-in is refused until then' })
  lockedUntil!: string;
}
