import { IsOptional, IsString } from 'class-validator';

/**
 * The set-password form. Fields are checked by the controller, which shows the form again with a
 * message rather than the error page (the CSRF field is checked and removed by the middleware).
 */
export class SetPasswordFormDto {
  @IsOptional()
  @IsString()
  token?: string;

  @IsOptional()
  @IsString()
  password?: string;

  @IsOptional()
  @IsString()
  confirmation?: string;
}

/** The "forgot password" form. */
export class ForgotPasswordFormDto {
  @IsOptional()
  @IsString()
  email?: string;
}
