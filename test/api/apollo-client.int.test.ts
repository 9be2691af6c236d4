// Apollo Client against the running server, with the typed documents codegen writes: a first-party
// app with the persisted-queries link (automatic persisted queries, and the manifest's ids match
// the hashes the link computes), and a partner app that only ever sends ids from the manifest.
import { createHash } from 'node:crypto';
import { ApolloClient, ApolloLink, CombinedGraphQLErrors, HttpLink, InMemoryCache, gql } from '@apollo/client';
import { PersistedQueryLink } from '@apollo/client/link/persisted-queries';
import { Kind, type DocumentNode } from 'graphql';
import { beforeAll, describe, expect, it } from 'vitest';
import { ClinicsDocument, DoctorDirectoryDocument, type ClinicsQuery } from '../../src/generated/operations.js';
import { PersistedOperations } from '../../src/graphql/persisted/index.js';
import { PartnerKeysRepository, PartnerKeysService } from '../../src/modules/partners/index.js';
import { createClinic } from '../factories.js';
import { TEST_CLIENT, useTestApi } from '../harness/api.js';

const api = useTestApi({ manualJobs: true });

/** What the client put on the wire: each request body, parsed. */
type Sent = Array<{ query?: string; extensions?: { persistedQuery?: { sha256Hash: string } } }>;

function client(options: { name: string; headers?: Record<string, string>; persisted: PersistedQueryLink }) {
  const sent: Sent = [];
  const recordingFetch: typeof fetch = async (input, init) => {
    sent.push(JSON.parse(String(init?.body)));
    return fetch(input, init);
  };
  const apollo = new ApolloClient({
    link: ApolloLink.from([options.persisted, new HttpLink({ uri: api.url, fetch: recordingFetch, headers: options.headers })]),
    cache: new InMemoryCache(),
    clientAwareness: { name: options.name, version: '1.0.0' },
  });
  return { apollo, sent };
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const manifest = PersistedOperations.load();

/** The partner's side: the id of an operation is looked up in the manifest by its name. */
function manifestId(document: DocumentNode): string {
  const operation = document.definitions.find((definition) => definition.kind === Kind.OPERATION_DEFINITION);
  const entry = manifest.operations.find((candidate) => candidate.name === operation?.name?.value);
  // An id the server has never seen: it must answer PERSISTED_QUERY_NOT_FOUND, not run anything.
  return entry?.id ?? sha256(`not in the manifest: ${operation?.name?.value}`);
}

let partnerKey = '';
let clinicName = '';

beforeAll(async () => {
  const clinic = await createClinic(api.database.prisma);
  clinicName = clinic.name;
  partnerKey = (
    await new PartnerKeysService(new PartnerKeysRepository(api.database.prisma)).issue({
      clinicId: clinic.id,
      name: 'Partner app',
      costBudget: 3000,
    })
  ).key;
});

describe('a first-party app on Apollo Client', () => {
  it('runs a manifest operation by the hash its link computes, without sending the document', async () => {
    const { apollo, sent } = client({ name: TEST_CLIENT, persisted: new PersistedQueryLink({ sha256 }) });
    const { data } = await apollo.query({ query: ClinicsDocument });
    const clinics: ClinicsQuery['clinics'] = data!.clinics;
    expect(clinics.map((clinic) => clinic.name)).toContain(clinicName);
    expect(sent).toHaveLength(1);
    expect(sent[0].query).toBeUndefined();
    expect(sent[0].extensions?.persistedQuery?.sha256Hash).toBe(manifest.operations.find((operation) => operation.name === 'Clinics')!.id);
  });

  it('registers any other document once (automatic persisted queries), then sends only its hash', async () => {
    const { apollo, sent } = client({ name: TEST_CLIENT, persisted: new PersistedQueryLink({ sha256 }) });
    const types = gql`
      query AppointmentTypeCodes {
        appointmentTypes {
          code
        }
      }
    `;
    await apollo.query({ query: types });
    await apollo.query({ query: types, fetchPolicy: 'network-only' });
    expect(sent.map((body) => (body.query === undefined ? 'hash' : 'hash+document'))).toEqual(['hash', 'hash+document', 'hash']);
  });
});

describe('a partner app on Apollo Client', () => {
  const partner = () =>
    client({
      name: 'partner-portal',
      headers: { 'x-api-key': partnerKey },
      persisted: new PersistedQueryLink({ generateHash: manifestId, retry: () => false, disable: () => false }),
    });

  it('runs the manifest operations with ids only', async () => {
    const { apollo, sent } = partner();
    const { data } = await apollo.query({ query: DoctorDirectoryDocument, variables: { first: 5 } });
    expect(data?.doctors.pageInfo.hasNextPage).toBe(false);
    expect((await apollo.query({ query: ClinicsDocument })).data?.clinics.map((clinic) => clinic.name)).toContain(clinicName);
    expect(sent).toHaveLength(2);
    expect(sent.every((body) => body.query === undefined)).toBe(true);
  });

  it('gets PERSISTED_QUERY_NOT_FOUND for an operation that is not in the manifest', async () => {
    const { apollo, sent } = partner();
    const { data, error } = await apollo.query({
      query: gql`
        query Everyone {
          doctors(first: 100) {
            edges {
              node {
                id
                displayName
              }
            }
          }
        }
      `,
      errorPolicy: 'all',
    });
    expect(data).toBeUndefined();
    expect(CombinedGraphQLErrors.is(error) && error.errors[0].extensions?.code).toBe('PERSISTED_QUERY_NOT_FOUND');
    expect(sent.every((body) => body.query === undefined)).toBe(true);
  });
});
