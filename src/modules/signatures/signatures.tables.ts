export interface SigningKeyTable {
  kid: string;
  issuer: string;
  alg: string;
  public_jwk: string;
  /** The private key (JWK). Whoever reads the database can sign: keep it like the keys of a CA. */
  private_jwk: string;
  /** The JWS `typ`s the key signs, space-separated (one for every key made since 0014). */
  purposes: string | null;
  created_at: string;
}

/** A public key a party registered to sign its submissions (JWK: Ed25519 or P-256). */
export interface PartyKeyTable {
  kid: string;
  party_id: string;
  alg: string;
  jwk: string;
  created_at: string;
  revoked_at: string | null;
}

export interface PartyPolicyTable {
  party_id: string;
  /** 1 when every submission of the party must carry its signature. */
  require_signed_submissions: number;
  updated_at: string;
}

/** The signatures module's tables: Kouan's and issuers' keys, parties' submission keys and signing policies. Only the module's repositories touch them. */
export interface SignatureTables {
  signing_keys: SigningKeyTable;
  party_keys: PartyKeyTable;
  party_policies: PartyPolicyTable;
}
