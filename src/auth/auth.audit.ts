import type { AuditTrailVocabulary } from '../audit-trail/audit-vocabulary.js';

/** The audit trail of signing in, sessions, the second factor and password links, in words. */
export const AUTH_AUDIT = {
  actions: {
    'auth.login': { ja: 'ログイン', en: 'Signed in' },
    'auth.login_failed': { ja: 'ログインに失敗', en: 'Failed to sign in' },
    'auth.login_refused': { ja: 'ログインを拒否', en: 'Sign-in refused' },
    'auth.locked': { ja: 'アカウントをロック', en: 'Account locked' },
    'auth.refresh': { ja: 'ログインを延長', en: 'Session renewed' },
    'auth.refresh_refused': { ja: 'ログインの延長を拒否', en: 'Session renewal refused' },
    'auth.session_revoked': { ja: 'ログアウト・セッションを終了', en: 'Signed out or session ended' },
    'auth.totp_enrolment_started': { ja: '二要素認証の登録を開始', en: 'Started setting up the second factor' },
    'auth.totp_confirm_failed': { ja: '二要素認証の登録で確認コードが誤り', en: 'Wrong code while setting up the second factor' },
    'auth.totp_enrolled': { ja: '二要素認証を登録', en: 'Set up the second factor' },
    'auth.recovery_code_used': { ja: '回復コードでログイン', en: 'Signed in with a recovery code' },
    'password_token.create': { ja: 'パスワード設定用のリンクを発行', en: 'Issued a password link' },
    'staff.invitation_requested': { ja: '利用開始の案内メールを依頼', en: 'Asked for an invitation e-mail' },
    'staff.password_reset_requested': { ja: 'パスワードの再設定を依頼', en: 'Asked to reset a password' },
    'staff.password_set': { ja: 'パスワードを設定', en: 'Set a password' },
  },
  entityTypes: {
    auth_session: { ja: 'ログインセッション', en: 'Session' },
    password_token: { ja: 'パスワード設定用のリンク', en: 'Password link' },
  },
} as const satisfies AuditTrailVocabulary;
