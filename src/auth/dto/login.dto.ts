import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsOptional, IsString, Length, MaxLength } from 'class-validator';

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
  @ApiProperty() accessToken!: string;
  @ApiProperty() refreshToken!: string;
  @ApiProperty({ example: 'Bearer' }) tokenType!: 'Bearer';
  @ApiProperty({ description: 'seconds until the access token expires' }) expiresIn!: number;
}

export class TotpEnrolmentDto {
  @ApiProperty() otpauthUri!: string;
  @ApiProperty() qrDataUrl!: string;
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
