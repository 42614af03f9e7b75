import { Transform } from 'class-transformer';
import { IsEmail, IsOptional, IsString, Length, Matches, MaxLength } from 'class-validator';

const trimmed = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

/** Step one of signing in on the web (the CSRF field is checked and removed by the CSRF middleware). */
export class LoginFormDto {
  @Transform(trimmed)
  @IsEmail()
  @MaxLength(254)
  email!: string;

  @IsString()
  @Length(1, 200)
  password!: string;

  /** the page to go to afterwards; only local paths are honoured (see `safeNext`) */
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  next?: string;
}

/** Step two: a TOTP code, or a recovery code. */
export class SecondFactorFormDto {
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.replace(/\s+/g, '').toLowerCase() : value))
  @IsString()
  @Matches(/^(\d{6}|[a-z0-9]{5}-[a-z0-9]{5})$/)
  totp!: string;
}
