// Accounts and tokens, end to end over HTTP: registration without account enumeration, email
// verification, sign-in with throttling, rotating refresh tokens with reuse detection, sign-out
// and suspension that take effect at once, password reset, phone codes, staff accounts.
import { randomBytes } from 'node:crypto';
import { SignJWT } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { AccessTokens } from '../../src/auth/tokens.js';
import { parseGlobalId, toGlobalId } from '../../src/graphql/global-id.js';
import { AccountsRepository, createAccountsServices } from '../../src/modules/accounts/index.js';
import { AUDIT_LOGS } from '../../src/modules/audit/index.js';
import { memoryCache } from '../../src/platform/cache.js';
import { ReadThrough } from '../../src/platform/cache-aside.js';
import { SimulatedNotifier } from '../../src/platform/notifier.js';
import { memoryRateLimiter } from '../../src/platform/rate-limiter.js';
import { useTestApi } from '../harness/api.js';
import { createClinic, createStaff } from '../factories.js';

// No background jobs: the SQL statements counted here are those of the request alone.
const api = useTestApi({ manualJobs: true });
const PASSWORD = 'Tropical-Rain-2026';

const REGISTER = `mutation($input: RegisterInput!) { register(input: $input) }`;
const LOGIN = `mutation($email: String!, $password: String!) { login(email: $email, password: $password) { accessToken refreshToken accessTokenExpiresAt viewer { id email role emailVerified } } }`;
const REFRESH = `mutation($token: String!) { refreshToken(token: $token) { accessToken refreshToken } }`;
const VIEWER = `{ viewer { email role phoneVerified clinics { id } } }`;

type Login = { login: { accessToken: string; refreshToken: string; viewer: { email: string; role: string; emailVerified: boolean } } };

const newEmail = () => `amina.${randomBytes(4).toString('hex')}@example.cm`;

async function registerAndVerify(email = newEmail()) {
  const result = await api.graphql(REGISTER, {
    input: { email, password: PASSWORD, firstName: 'Amina', lastName: 'Njoya', dateOfBirth: '1990-01-01' },
  });
  expect(result.data).toEqual({ register: true });
  const token = api.notifier.last(email, 'verify_email')!.data.token;
  expect((await api.graphql(`mutation($t: String!) { verifyEmail(token: $t) }`, { t: token })).data).toEqual({ verifyEmail: true });
  return email;
}

async function login(email: string, password = PASSWORD) {
  return api.graphql<Login>(LOGIN, { email, password });
}

/** Messages sent after the response (password reset) arrive a moment later. */
async function waitForMessage(to: string, template: string) {
  for (let i = 0; i < 50; i++) {
    const message = api.notifier.last(to, template);
    if (message) return message;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`no ${template} message to ${to}`);
}

const viewerStatus = async (token: string) => (await api.graphql(VIEWER, {}, token)).status;

describe('registration and verification', () => {
  it('registers a patient who must verify their email before signing in', async () => {
    const email = newEmail();
    await api.graphql(REGISTER, { input: { email, password: PASSWORD, firstName: 'Amina', lastName: 'Njoya', dateOfBirth: '1990-01-01' } });
    const early = await login(email);
    expect(early.errors?.[0]).toMatchObject({
      message: 'Verify your email address before signing in.',
      extensions: { code: 'UNAUTHENTICATED' },
    });
    const token = api.notifier.last(email, 'verify_email')!.data.token;
    await api.graphql(`mutation($t: String!) { verifyEmail(token: $t) }`, { t: token });
    const signedIn = await login(email);
    expect(signedIn.data!.login.viewer).toMatchObject({ email, role: 'PATIENT', emailVerified: true });
    expect((await api.graphql(`mutation($t: String!) { verifyEmail(token: $t) }`, { t: token })).errors?.[0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      fields: [{ path: ['token'] }],
    });
  });

  it('answers a taken address exactly like a new one, and tells the owner instead', async () => {
    const email = await registerAndVerify();
    const again = await api.graphql(REGISTER, {
      input: { email: email.toUpperCase(), password: PASSWORD, firstName: 'Someone', lastName: 'Else', dateOfBirth: '1985-01-01' },
    });
    expect(again).toMatchObject({ status: 200, data: { register: true } });
    expect(again.errors).toBeUndefined();
    expect(api.notifier.last(email)!.template).toBe('account_already_exists');
    expect(await api.database.prisma.user.count({ where: { email } })).toBe(1);
  });

  it.each([
    ['short', 'must be at least 10 characters long'],
    ['password123', 'is too common'],
    ['aaaaaaaaaaaa', 'must use at least 5 different characters'],
    ['Njoya-is-my-name', 'must not contain your name or email'],
  ])('refuses the weak password %j (%s) and creates nothing', async (password, problem) => {
    const email = newEmail();
    const response = await api.graphql(REGISTER, {
      input: { email, password, firstName: 'Amina', lastName: 'Njoya', dateOfBirth: '1990-01-01' },
    });
    expect(response.errors?.[0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      fields: expect.arrayContaining([{ path: ['input', 'password'], message: `password ${problem}` }]),
    });
    expect(JSON.stringify(response)).not.toContain(password);
    expect(await api.database.prisma.user.count({ where: { email } })).toBe(0);
  });
});

describe('sign-in', () => {
  it('refuses a wrong password and an unknown account with the same message', async () => {
    const email = await registerAndVerify();
    const wrong = await login(email, 'Not-The-Password-1');
    const unknown = await login(newEmail(), 'Not-The-Password-1');
    expect(wrong.errors?.[0]).toMatchObject({ extensions: { code: 'UNAUTHENTICATED' } });
    expect(unknown.errors?.[0].message).toBe(wrong.errors?.[0].message);
  });

  it('throttles an account after 5 failures, even with the right password, and says the same for an unknown one', async () => {
    const email = await registerAndVerify();
    const ghost = newEmail();
    for (let i = 0; i < 5; i++) {
      expect((await login(email, `Wrong-password-${i}`)).errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
      expect((await login(ghost, `Wrong-password-${i}`)).errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    }
    const blocked = await login(email);
    const blockedGhost = await login(ghost);
    expect(blocked.errors?.[0].extensions?.code).toBe('RATE_LIMITED');
    expect(blocked.data ?? null).toBeNull();
    expect(blockedGhost.errors?.[0].message).toBe(blocked.errors?.[0].message);
  });

  it('lets at most 5 of 30 simultaneous wrong passwords be checked (the count is taken before the check)', async () => {
    const email = await registerAndVerify();
    const results = await Promise.all(Array.from({ length: 30 }, (_, i) => login(email, `Wrong-password-${i}`)));
    const checked = results.filter((r) => r.errors?.[0].extensions?.code === 'UNAUTHENTICATED').length;
    const limited = results.filter((r) => r.errors?.[0].extensions?.code === 'RATE_LIMITED').length;
    expect(checked).toBeLessThanOrEqual(5);
    expect(checked + limited).toBe(30);
    expect((await login(email)).errors?.[0].extensions?.code).toBe('RATE_LIMITED');
  });

  it('signs in, and the access token works until the refresh token rotates it', async () => {
    const email = await registerAndVerify();
    const { accessToken, refreshToken } = (await login(email)).data!.login;
    expect((await api.graphql<{ viewer: { email: string } }>(VIEWER, {}, accessToken)).data!.viewer.email).toBe(email);
    const rotated = await api.graphql<{ refreshToken: { accessToken: string; refreshToken: string } }>(REFRESH, { token: refreshToken });
    expect(rotated.data!.refreshToken.refreshToken).not.toBe(refreshToken);
    expect(await viewerStatus(rotated.data!.refreshToken.accessToken)).toBe(200);
  });

  it('ends the whole session when a refresh token is used twice', async () => {
    const email = await registerAndVerify();
    const first = (await login(email)).data!.login;
    const second = (
      await api.graphql<{ refreshToken: { accessToken: string; refreshToken: string } }>(REFRESH, { token: first.refreshToken })
    ).data!.refreshToken;
    const replay = await api.graphql(REFRESH, { token: first.refreshToken });
    expect(replay.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    expect(await viewerStatus(second.accessToken)).toBe(401);
    expect((await api.graphql(REFRESH, { token: second.refreshToken })).errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('treats two simultaneous refreshes with one token as reuse: the session ends', async () => {
    const email = await registerAndVerify();
    const { refreshToken } = (await login(email)).data!.login;
    const results = await Promise.all([
      api.graphql<{ refreshToken: { accessToken: string } }>(REFRESH, { token: refreshToken }),
      api.graphql<{ refreshToken: { accessToken: string } }>(REFRESH, { token: refreshToken }),
    ]);
    const winners = results.filter((r) => r.data?.refreshToken);
    expect(winners.length).toBeLessThanOrEqual(1);
    expect(results.filter((r) => r.errors?.[0].extensions?.code === 'UNAUTHENTICATED').length).toBeGreaterThanOrEqual(1);
    // Strict reuse detection: whatever a winner got belongs to a revoked session (clients refresh one at a time).
    for (const winner of winners) expect(await viewerStatus(winner.data!.refreshToken.accessToken)).toBe(401);
  });

  it('stops an access token at once on logout, and every session on logoutEverywhere', async () => {
    const email = await registerAndVerify();
    const a = (await login(email)).data!.login;
    const b = (await login(email)).data!.login;
    const c = (await login(email)).data!.login;
    expect((await api.graphql(`mutation { logout }`, {}, a.accessToken)).data).toEqual({ logout: true });
    expect(await viewerStatus(a.accessToken)).toBe(401);
    expect(await viewerStatus(b.accessToken)).toBe(200);
    await api.graphql(`mutation { logoutEverywhere }`, {}, b.accessToken);
    expect(await viewerStatus(b.accessToken)).toBe(401);
    expect(await viewerStatus(c.accessToken)).toBe(401);
    expect((await api.graphql(REFRESH, { token: c.refreshToken })).errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('answers viewer from the user loaded with the session, without loading them again', async () => {
    const email = await registerAndVerify();
    const { accessToken } = (await login(email)).data!.login;
    const statementsFor = async (query: string) => {
      const before = api.database.statementCount;
      expect((await api.graphql(query, {}, accessToken)).errors).toBeUndefined();
      return api.database.statementCount - before;
    };
    expect(await statementsFor(`{ viewer { email role emailVerified phoneVerified } }`)).toBe(await statementsFor(`{ __typename }`));
  });

  it('names only the user and the session in an access token (role and clinics are read from the database)', async () => {
    const email = await registerAndVerify();
    const { accessToken } = (await login(email)).data!.login;
    const claims = JSON.parse(Buffer.from(accessToken.split('.')[1], 'base64url').toString());
    expect(Object.keys(claims).sort()).toEqual(['exp', 'iat', 'iss', 'sid', 'sub']);
  });

  it('refuses expired, forged and foreign tokens with 401', async () => {
    const email = await registerAndVerify();
    const { accessToken } = (await login(email)).data!.login;
    const [header, payload] = accessToken.split('.');
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
    const key = new TextEncoder().encode('test-secret-that-is-at-least-32-characters-long');
    const expired = await new SignJWT({ ...claims, exp: Math.floor(Date.now() / 1000) - 10 })
      .setProtectedHeader({ alg: 'HS256' })
      .sign(key);
    const foreignKey = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'HS256' })
      .sign(new TextEncoder().encode('another-secret-another-secret-another'));
    const unsigned = `${Buffer.from(JSON.stringify({ alg: 'none' })).toString('base64url')}.${payload}.`;
    for (const token of [expired, foreignKey, unsigned, `${header}.${payload}.AAAA`]) expect(await viewerStatus(token)).toBe(401);
  });
});

describe('password reset', () => {
  it('always answers true, emails a link only to an existing account, and ends every session on reset', async () => {
    const email = await registerAndVerify();
    const session = (await login(email)).data!.login;
    const ghost = newEmail();
    expect((await api.graphql(`mutation($e: String!) { requestPasswordReset(email: $e) }`, { e: ghost })).data).toEqual({
      requestPasswordReset: true,
    });
    await api.graphql(`mutation($e: String!) { requestPasswordReset(email: $e) }`, { e: email });
    const token = (await waitForMessage(email, 'password_reset')).data.token;
    const RESET = `mutation($t: String!, $p: String!) { resetPassword(token: $t, newPassword: $p) }`;
    expect((await api.graphql(RESET, { t: token, p: 'weak' })).errors?.[0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      fields: expect.arrayContaining([{ path: ['newPassword'], message: 'newPassword must be at least 10 characters long' }]),
    });
    expect((await api.graphql(RESET, { t: token, p: 'Harmattan-Wind-77' })).data).toEqual({ resetPassword: true });
    expect(await viewerStatus(session.accessToken)).toBe(401);
    expect((await login(email)).errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    expect((await login(email, 'Harmattan-Wind-77')).data?.login.viewer.email).toBe(email);
    expect((await api.graphql(RESET, { t: token, p: 'Another-Good-Pass-9' })).errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('sends nothing to an address without an account, once the work after the answer has ended', async () => {
    // Over HTTP the answer comes before that work; a service of the test's own says when it ends.
    const notifier = new SimulatedNotifier();
    const tokens = new AccessTokens({ secret: 'test-secret-that-is-at-least-32-characters-long', issuer: 'test', ttlSeconds: 60 });
    const { passwordReset } = createAccountsServices(new AccountsRepository(api.database.prisma, new ReadThrough(memoryCache())), {
      tokens,
      notifier,
      rateLimiter: memoryRateLimiter(),
    });
    const email = await registerAndVerify();
    expect(await passwordReset.request(newEmail())).toBe(true);
    expect(await passwordReset.request(email)).toBe(true);
    await passwordReset.idle();
    expect(notifier.sent.map((message) => [message.to, message.template])).toEqual([[email, 'password_reset']]);
  });
});

describe('phone verification', () => {
  it('verifies the phone with the SMS code, refuses wrong codes and stops after 5 attempts', async () => {
    const phone = `+2376${String(randomBytes(4).readUInt32BE() % 1e8).padStart(8, '0')}`;
    const email = await registerAndVerify();
    await api.database.prisma.user.update({ where: { email }, data: { phone } });
    const { accessToken } = (await login(email)).data!.login;
    await api.graphql(`mutation { requestPhoneVerification }`, {}, accessToken);
    const code = api.notifier.last(phone, 'verify_phone')!.data.code;
    const VERIFY = `mutation($c: String!) { verifyPhone(code: $c) }`;
    const wrongCode = code === '000000' ? '000001' : '000000';
    expect((await api.graphql(VERIFY, { c: wrongCode }, accessToken)).errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect((await api.graphql(VERIFY, { c: code }, accessToken)).data).toEqual({ verifyPhone: true });
    expect((await api.graphql<{ viewer: { phoneVerified: boolean } }>(VIEWER, {}, accessToken)).data!.viewer.phoneVerified).toBe(true);

    await api.graphql(`mutation { requestPhoneVerification }`, {}, accessToken);
    const second = api.notifier.last(phone, 'verify_phone')!.data.code;
    for (let i = 0; i < 5; i++) await api.graphql(VERIFY, { c: second === '111111' ? '222222' : '111111' }, accessToken);
    expect((await api.graphql(VERIFY, { c: second }, accessToken)).errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  });
});

describe('staff accounts', () => {
  let clinicDbId = '';
  let otherClinicDbId = '';
  let clinicId = '';
  let otherClinicId = '';
  let adminToken = '';

  beforeAll(async () => {
    const clinic = await createClinic(api.database.prisma);
    const other = await createClinic(api.database.prisma);
    [clinicDbId, otherClinicDbId] = [clinic.id, other.id];
    clinicId = clinic.globalId;
    otherClinicId = other.globalId;
    adminToken = await api.token(await createStaff(api.database.prisma, 'admin', clinic.id));
  });

  const CREATE = `mutation($input: CreateStaffAccountInput!) { createStaffAccount(input: $input) { id email role status } }`;
  const SUSPEND = `mutation($u: ID!) { suspendUser(userId: $u) }`;

  it('lets a clinic admin add staff, who set a password from the emailed link and sign in with their role', async () => {
    const email = newEmail();
    const created = await api.graphql<{ createStaffAccount: { id: string; status: string } }>(
      CREATE,
      { input: { email, role: 'NURSE', clinicId, firstName: 'Grace', lastName: 'Nkeng' } },
      adminToken,
    );
    expect(created.data!.createStaffAccount).toMatchObject({ email, role: 'NURSE', status: 'PENDING_VERIFICATION' });
    const token = api.notifier.last(email, 'staff_account_setup')!.data.token;
    await api.graphql(`mutation($t: String!, $p: String!) { resetPassword(token: $t, newPassword: $p) }`, { t: token, p: PASSWORD });
    const signedIn = await login(email);
    expect(signedIn.data!.login.viewer.role).toBe('NURSE');
    const viewer = await api.graphql<{ viewer: { clinics: Array<{ id: string }> } }>(VIEWER, {}, signedIn.data!.login.accessToken);
    expect(viewer.data!.viewer.clinics.map((c) => c.id)).toEqual([clinicId]);
  });

  it('refuses adding staff to a clinic the admin does not administer, and refuses non-admins', async () => {
    const elsewhere = await api.graphql(
      CREATE,
      { input: { email: newEmail(), role: 'DOCTOR', clinicId: otherClinicId, firstName: 'X', lastName: 'Y' } },
      adminToken,
    );
    expect(elsewhere.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const clinic = await createClinic(api.database.prisma);
    const receptionist = await api.token(await createStaff(api.database.prisma, 'receptionist', clinic.id));
    const notAdmin = await api.graphql(
      CREATE,
      { input: { email: newEmail(), role: 'DOCTOR', clinicId: clinic.globalId, firstName: 'X', lastName: 'Y' } },
      receptionist,
    );
    expect(notAdmin.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });

  it('does not let a clinic admin suspend another admin', async () => {
    const other = await createStaff(api.database.prisma, 'admin', clinicDbId);
    const response = await api.graphql(SUSPEND, { u: toGlobalId('User', other.userId) }, adminToken);
    expect(response.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });

  it('does not find staff of a clinic the admin does not administer, and changes nothing', async () => {
    const outsider = await createStaff(api.database.prisma, 'nurse', otherClinicDbId);
    const response = await api.graphql(SUSPEND, { u: toGlobalId('User', outsider.userId) }, adminToken);
    expect(response.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    expect(await api.database.prisma.user.findUniqueOrThrow({ where: { id: outsider.userId } })).toMatchObject({ status: 'active' });
  });

  it('suspends a staff member at once (their live token stops), and reactivates them', async () => {
    const email = newEmail();
    const created = await api.graphql<{ createStaffAccount: { id: string } }>(
      CREATE,
      { input: { email, role: 'DOCTOR', clinicId, firstName: 'Olivier', lastName: 'Mvondo' } },
      adminToken,
    );
    await api.graphql(`mutation($t: String!, $p: String!) { resetPassword(token: $t, newPassword: $p) }`, {
      t: api.notifier.last(email, 'staff_account_setup')!.data.token,
      p: PASSWORD,
    });
    const session = (await login(email)).data!.login;
    expect(await viewerStatus(session.accessToken)).toBe(200);
    const userId = created.data!.createStaffAccount.id;
    expect((await api.graphql(SUSPEND, { u: userId }, adminToken)).data).toEqual({ suspendUser: true });
    expect(await viewerStatus(session.accessToken)).toBe(401);
    expect((await login(email)).errors?.[0].message).toBe('This account is not active. Contact your clinic.');
    await api.graphql(`mutation($u: ID!) { reactivateUser(userId: $u) }`, { u: userId }, adminToken);
    expect((await login(email)).data?.login.viewer.email).toBe(email);
  });
});

describe('audit of account events', () => {
  it("records registration in the new patient's stream, sign-ins and failed sign-ins, and staff creation", async () => {
    const audit = api.mongo.db.collection(AUDIT_LOGS);
    const email = await registerAndVerify();
    const user = await api.database.prisma.user.findUniqueOrThrow({ where: { email } });
    const registration = await audit.find({ patientId: user.id, action: 'create', resource: 'Patient' }).sort({ seq: 1 }).toArray();
    expect(registration.map((e) => e.result)).toEqual(['attempted', 'success']);
    await login(email, 'Wrong-password-xyz');
    await login(email);
    const sessionEvents = await audit.find({ stream: 'system', 'actor.userId': user.id }).sort({ seq: 1 }).toArray();
    expect(sessionEvents.map((e) => [e.action, e.result])).toEqual([
      ['login_failed', 'failure'],
      ['login', 'success'],
    ]);
    expect(JSON.stringify(sessionEvents)).not.toContain('Wrong-password-xyz');

    const clinic = await createClinic(api.database.prisma);
    const admin = await createStaff(api.database.prisma, 'admin', clinic.id);
    const created = await api.graphql<{ createStaffAccount: { id: string } }>(
      `mutation($input: CreateStaffAccountInput!) { createStaffAccount(input: $input) { id } }`,
      { input: { email: newEmail(), role: 'NURSE', clinicId: clinic.globalId, firstName: 'Grace', lastName: 'Nkeng' } },
      await api.token(admin),
    );
    const staffId = parseGlobalId(created.data!.createStaffAccount.id)!.id;
    const creation = await audit
      .find({ patientId: staffId, 'actor.userId': admin.userId, resource: 'User', action: 'create' })
      .sort({ seq: 1 })
      .toArray();
    expect(creation.map((e) => [e.result, e.fields])).toEqual(
      ['attempted', 'success'].map((result) => [result, ['clinicId', 'email', 'firstName', 'lastName', 'role']]),
    );
  });
});

describe('staff roles', () => {
  it('refuses PATIENT as a staff role at its field', async () => {
    const clinic = await createClinic(api.database.prisma);
    const admin = await api.token(await createStaff(api.database.prisma, 'admin', clinic.id));
    const response = await api.graphql(
      `mutation($input: CreateStaffAccountInput!) { createStaffAccount(input: $input) { id } }`,
      { input: { email: newEmail(), role: 'PATIENT', clinicId: clinic.globalId, firstName: 'A', lastName: 'B' } },
      admin,
    );
    expect(response.errors?.[0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      fields: [{ path: ['input', 'role'], message: 'role must be a staff role' }],
    });
  });
});
