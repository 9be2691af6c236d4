// Which operations a caller may send, decided before Apollo sees the request:
// - a partner (an `x-api-key`) runs only manifest operations, by id: a document is FORBIDDEN, an id
//   the manifest does not list is PERSISTED_QUERY_NOT_FOUND (never looked up among first-party
//   automatic persisted queries);
// - a first-party client may send documents and use automatic persisted queries (Redis); in
//   production only the clients the configuration names (`apollographql-client-name`, what Apollo
//   Client sends) are first-party, everywhere else every non-partner caller is;
// - any other caller runs manifest operations by id only.
// The client name identifies an application, it does not authenticate anyone: what a caller may
// read is still decided by the token and the authorization rules.
import { createHash } from 'node:crypto';
import type { ErrorCode } from '../../errors/errors.js';
import type { Partner } from '../../modules/partners/index.js';
import type { PersistedOperations } from './manifest.js';

/** What a GraphQL-over-HTTP request asks to run. */
export interface OperationRequest {
  /** A document was sent (`query`). */
  hasDocument: boolean;
  /** `extensions.persistedQuery.sha256Hash`, when sent. */
  hash: string | undefined;
  /** The document's text, when it was sent as a string (to check it against `hash`). */
  document?: string;
}

export type Admission =
  | { admitted: true; partner: Partner | null; /** Run this manifest document instead of the id. */ document?: string }
  | { admitted: false; status: number; code: ErrorCode; message: string };

export interface AdmissionSettings {
  production: boolean;
  /** Client names (`apollographql-client-name`) that may send documents in production. */
  firstPartyClients: readonly string[];
}

interface PartnerDirectory {
  partnerFor(key: string): Promise<Partner | null>;
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

const refuse = (status: number, code: ErrorCode, message: string): Admission => ({ admitted: false, status, code, message });

export class OperationAdmission {
  constructor(
    private readonly manifest: PersistedOperations,
    private readonly partners: PartnerDirectory,
    private readonly settings: AdmissionSettings,
  ) {}

  async admit(headers: { apiKey: string | undefined; clientName: string | undefined }, request: OperationRequest): Promise<Admission> {
    let partner: Partner | null = null;
    if (headers.apiKey !== undefined) {
      partner = await this.partners.partnerFor(headers.apiKey);
      if (!partner) return refuse(401, 'UNAUTHENTICATED', 'The API key is invalid or has been revoked.');
    }
    const firstParty =
      !partner &&
      (!this.settings.production || (headers.clientName !== undefined && this.settings.firstPartyClients.includes(headers.clientName)));
    if (firstParty) {
      // Apollo would refuse it too, but with no code (masked as an internal error): a client
      // needs to know that its hashing, not our server, is wrong.
      if (request.hash !== undefined && request.document !== undefined && sha256(request.document) !== request.hash) {
        return refuse(
          400,
          'PERSISTED_QUERY_HASH_MISMATCH',
          'extensions.persistedQuery.sha256Hash is not the SHA-256 of the query sent with it.',
        );
      }
      return { admitted: true, partner };
    }
    if (request.hasDocument) {
      return refuse(
        403,
        'FORBIDDEN',
        partner
          ? 'Partners run reviewed operations by id only (extensions.persistedQuery.sha256Hash).'
          : 'This client may run persisted operations only, by id.',
      );
    }
    if (request.hash === undefined) return { admitted: true, partner }; // neither: Apollo answers BAD_REQUEST
    const document = this.manifest.body(request.hash);
    if (document === undefined) return refuse(200, 'PERSISTED_QUERY_NOT_FOUND', 'No persisted operation has this id.');
    return { admitted: true, partner, document };
  }
}
