import type { Kysely } from 'kysely';
import type { Database } from '../../store/schema.js';
import { SignaturesRepository } from './signatures.repository.js';
import { SignaturesService } from './signatures.service.js';
import { Signer, type CountersignAlg } from './signer.js';

export { SignaturesService } from './signatures.service.js';
export type { PartyKeysByKid, StoredSubmissionSignatures, SubmissionSignature } from './signatures.service.js';
export { Signer, sm2Mismatch, verifyCopy, PLATFORM, SIGNED_KINDS, SIGNING_ALG } from './signer.js';
export type { CopyCheck, CountersignAlg, Jwks, Signatures, SignedKind, Sm2Mismatch } from './signer.js';
export * from './signatures.schema.js';

/** The signatures module: Kouan's and issuers' signing keys, parties' registered keys and signed submissions. */
export function createSignaturesModule(db: Kysely<Database>, platformAlgs: readonly CountersignAlg[] = ['EdDSA']): SignaturesService {
  const repository = new SignaturesRepository(db);
  return new SignaturesService(repository, new Signer(repository, platformAlgs));
}
