/** A person acting for a party in the portal. */
export interface UserTable {
  id: string;
  party_id: string;
  /** Lower-case; unique across the deployment (the login name). */
  email: string;
  name: string;
  /** JSON array of user roles; `admin` manages the party's users and keys. */
  roles: string;
  /** argon2id, as a PHC string. */
  password_hash: string;
  /** Base32 TOTP secret while the second factor is on. */
  totp_secret: string | null;
  /** Secret of an enrolment not yet confirmed with a code. */
  totp_pending_secret: string | null;
  /** The last TOTP time step accepted: no code is accepted twice. */
  totp_last_step: number | null;
  /** Consecutive failed logins since the last success or lock. */
  failed_logins: number;
  locked_until: string | null;
  last_login_at: string | null;
  created_at: string;
  disabled_at: string | null;
  /** 1 while the password is one an admin or operator set: the person must choose their own first (0021). */
  must_change_password: number;
}

/** Failed logins with an email that has no account, counted as an account's are (see users.failed_logins). */
export interface LoginFailureTable {
  /** SHA-256 (hex) of the normalised email. */
  email_hash: string;
  failed_logins: number;
  locked_until: string | null;
  updated_at: string;
}

/** A portal login session. */
export interface SessionTable {
  /** SHA-256 (hex) of the session token; the token itself is only in the user's cookie. */
  id: string;
  user_id: string;
  party_id: string;
  /** SHA-256 (hex) of the session's CSRF token. */
  csrf_token_hash: string;
  created_at: string;
  /** When the session ends unless used before: min(last seen + idle limit, created + absolute limit). */
  expires_at: string;
  last_seen_at: string;
  revoked_at: string | null;
  ip: string | null;
  user_agent: string | null;
}

/** The users module's tables: people, their sessions, failed logins. Only the module's repositories touch them. */
export interface UsersTables {
  users: UserTable;
  sessions: SessionTable;
  login_failures: LoginFailureTable;
}
